// Cell inputs (site/notebook/inputs.ts): what slider(), choice(), checkbox() and numberField()
// return, what they record for the page, how a value sent by the page is checked, and the errors
// that name a bad declaration.
import { describe, expect, it } from 'vitest';
import { CellInputs, InputError, LOG_POSITIONS, inputText, logPosition, logValue, roundSignificant } from '../../site/notebook/inputs.ts';

describe('slider', () => {
  it('returns its default when the page sent nothing, and records its range', () => {
    const inputs = new CellInputs();
    expect(inputs.slider('weight', { min: -2, max: 2, value: 0.5 })).toBe(0.5);
    expect(inputs.specs).toEqual([{ kind: 'slider', label: 'weight', min: -2, max: 2, step: 0.04, log: false, initial: 0.5, value: 0.5 }]);
  });

  it('returns the value the page sent, snapped to its steps and kept within its range', () => {
    expect(new CellInputs({ weight: 1.01 }).slider('weight', { min: -2, max: 2, value: 0.5, step: 0.1 })).toBe(1);
    expect(new CellInputs({ weight: 0.3 }).slider('weight', { min: 0, max: 1, value: 0.5, step: 0.1 })).toBe(0.3);
    expect(new CellInputs({ weight: 99 }).slider('weight', { min: -2, max: 2, value: 0.5 })).toBe(2);
    expect(new CellInputs({ weight: 'x' }).slider('weight', { min: -2, max: 2, value: 0.5 })).toBe(0.5);
  });

  it('moves a log slider by powers of ten and shows three significant digits', () => {
    const spec = { min: 0.001, max: 10 };
    expect(logValue(spec, 0)).toBe(0.001);
    expect(logValue(spec, LOG_POSITIONS)).toBe(10);
    expect(logValue(spec, LOG_POSITIONS / 2)).toBe(roundSignificant(Math.sqrt(0.01)));
    expect(logPosition(spec, 0.1)).toBe(Math.round((LOG_POSITIONS * 2) / 4));
    expect(roundSignificant(0.031622776)).toBe(0.0316);
  });

  it('names the slider and the problem when its options are wrong', () => {
    const inputs = new CellInputs();
    expect(() => inputs.slider('rate', { min: 1, max: 0, value: 0.5 })).toThrow('slider("rate"): min (1) must be below max (0)');
    expect(() => inputs.slider('rate', { min: 0, max: 1, value: 2 })).toThrow('value 2 is outside min 0 to max 1');
    expect(() => inputs.slider('rate', { min: 0, max: 1, value: 0.5, log: true })).toThrow('a log slider needs a min above 0');
    expect(() => inputs.slider('', { min: 0, max: 1, value: 0.5 })).toThrow(InputError);
  });

  it('refuses a second input with the same label in one cell', () => {
    const inputs = new CellInputs();
    inputs.slider('weight', { min: 0, max: 1, value: 0.5 });
    expect(() => inputs.checkbox('weight')).toThrow('another input of this cell has the same label');
  });
});

describe('choice, checkbox and numberField', () => {
  it('returns the chosen option, or the default for an option the cell no longer lists', () => {
    expect(new CellInputs().choice('activation', ['ReLU', 'tanh'])).toBe('ReLU');
    expect(new CellInputs({ activation: 'tanh' }).choice('activation', ['ReLU', 'tanh'])).toBe('tanh');
    expect(new CellInputs({ activation: 'sigmoid' }).choice('activation', ['ReLU', 'tanh'], { value: 'tanh' })).toBe('tanh');
    expect(() => new CellInputs().choice('activation', ['ReLU'], { value: 'tanh' as 'ReLU' })).toThrow('is not one of the options');
  });

  it('ticks a checkbox only with a boolean from the page', () => {
    expect(new CellInputs().checkbox('shuffle', { value: true })).toBe(true);
    expect(new CellInputs({ shuffle: false }).checkbox('shuffle', { value: true })).toBe(false);
    expect(new CellInputs({ shuffle: 'no' }).checkbox('shuffle', { value: true })).toBe(true);
  });

  it('keeps a number field within its bounds', () => {
    expect(new CellInputs({ epochs: 5000 }).numberField('epochs', { value: 100, min: 1, max: 1000 })).toBe(1000);
    expect(new CellInputs({ epochs: 250 }).numberField('epochs', { value: 100, min: 1, max: 1000 })).toBe(250);
    expect(() => new CellInputs().numberField('epochs', { value: 0, min: 1 })).toThrow('numberField("epochs"): value 0 is outside its bounds');
  });

  it('shows values the way a reader expects', () => {
    const inputs = new CellInputs({ rate: 0.1 + 0.2 });
    inputs.slider('rate', { min: 0, max: 1, value: 0.5, step: 0.1 });
    inputs.checkbox('on', { value: true });
    expect(inputs.specs.map(inputText)).toEqual(['0.3', 'on']);
  });
});
