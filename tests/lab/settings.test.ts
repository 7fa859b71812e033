// Checks the training lab's field checks (site/lab/settings.ts) with a corpus of bad input for
// each field: every one is refused with a message saying what is wrong, and no settings come out
// (so Train stays disabled and nothing downloads); good input gives exactly the settings typed.
import { describe, expect, it } from 'vitest';
import { LAB_LIMITS, checkLabInput, type LabField, type LabInput } from '../../site/lab/settings.ts';

const GOOD: LabInput = { hidden: '128,64', optimizer: 'adam', learningRate: '0.001', batchSize: '128', epochs: '3' };

/** Bad text for each field, with the words its message must hold. */
const BAD: Array<[LabField, string, RegExp]> = [
  ['hidden', 'abc', /“abc” is not a layer size: give whole numbers separated by commas, e\.g\. 128,64\./],
  ['hidden', '', /Give at least one hidden layer size/],
  ['hidden', '   ', /Give at least one hidden layer size/],
  ['hidden', '128,,64', /single commas/],
  ['hidden', '128,', /single commas/],
  ['hidden', '0', /Each size must be from 1 to 2,048\./],
  ['hidden', '-5', /from 1 to 2,048/],
  ['hidden', '12.5', /Each size must be a whole number, not 12\.5\./],
  ['hidden', '99999', /from 1 to 2,048/],
  ['hidden', '1,2,3,4,5', /At most 4 hidden layers\./],
  ['hidden', '128;64', /“128;64” is not a layer size/],
  ['hidden', 'NaN', /“NaN” is not a layer size/],
  ['hidden', 'Infinity', /is not a layer size/],
  ['hidden', '0x40', /is not a layer size/],
  ['optimizer', 'adamw', /Choose Adam, SGD \+ momentum or RMSProp, not “adamw”\./],
  ['optimizer', '', /Choose Adam/],
  ['learningRate', 'abc', /“abc” is not a number: give a learning rate such as 0\.001 or 1e-3\./],
  ['learningRate', '', /Give a learning rate/],
  ['learningRate', '0', /above 0/],
  ['learningRate', '-0.01', /above 0/],
  ['learningRate', '11', /at most 10/],
  ['learningRate', '1e9', /at most 10/],
  ['learningRate', 'NaN', /is not a number/],
  ['learningRate', 'Infinity', /is not a number/],
  ['learningRate', '0.0.1', /is not a number/],
  ['learningRate', 'x'.repeat(10_000), /“x{20}…” is not a number/],
  ['batchSize', 'abc', /“abc” is not a number\./],
  ['batchSize', '', /Give the batch size\./],
  ['batchSize', '0', /The batch size must be from 1 to 55,000\./],
  ['batchSize', '64.5', /The batch size must be a whole number, not 64\.5\./],
  ['batchSize', '1e9', /from 1 to 55,000/],
  ['batchSize', '-1', /from 1 to 55,000/],
  ['epochs', 'abc', /“abc” is not a number\./],
  ['epochs', '', /Give the number of epochs\./],
  ['epochs', '0', /The number of epochs must be from 1 to 50\./],
  ['epochs', '2.5', /whole number/],
  ['epochs', '1000', /from 1 to 50/],
];

describe('the lab refuses bad input, field by field', () => {
  it.each(BAD)('%s = %j, with a message saying what is wrong', (field, text, message) => {
    const check = checkLabInput({ ...GOOD, [field]: text });
    expect(check.settings).toBeUndefined();
    expect(Object.keys(check.errors)).toEqual([field]);
    expect(check.errors[field]).toMatch(message);
  });

  it('names every bad field at once', () => {
    const check = checkLabInput({ hidden: 'abc', optimizer: 'x', learningRate: 'abc', batchSize: '0', epochs: '' });
    expect(Object.keys(check.errors).sort()).toEqual(['batchSize', 'epochs', 'hidden', 'learningRate', 'optimizer']);
  });
});

describe('the lab accepts good input', () => {
  it('gives the settings typed, with spaces around the sizes allowed', () => {
    expect(checkLabInput({ ...GOOD, hidden: ' 256 , 128,64 ', learningRate: '1e-3' })).toEqual({
      errors: {},
      settings: { hidden: [256, 128, 64], optimizer: 'adam', learningRate: 0.001, batchSize: 128, epochs: 3, seed: 1 },
    });
  });

  it('accepts the limits themselves', () => {
    const edge = checkLabInput({ hidden: `1,${LAB_LIMITS.neurons},2,3`, optimizer: 'rmsprop', learningRate: String(LAB_LIMITS.learningRate), batchSize: String(LAB_LIMITS.batchSize), epochs: String(LAB_LIMITS.epochs) });
    expect(edge.errors).toEqual({});
    expect(edge.settings?.hidden).toEqual([1, 2048, 2, 3]);
    expect(checkLabInput({ ...GOOD, learningRate: '.5', optimizer: 'sgd' }).settings?.learningRate).toBe(0.5);
  });
});
