// A cell's inputs as form controls (hast, like its outputs): a labelled range, select, checkbox or
// number field for each, with its value shown beside it. The build writes them into the static
// page with their defaults; the page wires them up (client-inputs.ts) and redraws them only when
// an edit of the cell changes what they are, so a slider keeps its focus while it is dragged.
import { h, type HElement } from './render.ts';
import { LOG_POSITIONS, inputText, logPosition, type InputSpec } from './inputs.ts';
import { formatNumber } from '../../lib/format.ts';

/** What identifies a cell's set of inputs apart from their values: when it changes, the controls are drawn again. */
export function inputsSignature(specs: readonly InputSpec[]): string {
  return JSON.stringify(specs.map(({ value: _value, ...rest }) => rest));
}

/** The controls of cell `index` (0-based), or nothing when it declares no inputs. */
export function renderInputs(specs: readonly InputSpec[], index: number): HElement | undefined {
  if (specs.length === 0) return undefined;
  return h(
    'div',
    { class: 'cell-inputs', role: 'group', 'aria-label': `Inputs of cell ${index + 1}`, 'data-inputs': JSON.stringify(specs), 'data-signature': inputsSignature(specs) },
    specs.map((spec, k) => control(spec, `cell-${index + 1}-input-${k + 1}`)),
  );
}

/** One input: its label, its control and, for numbers, its value as text. */
function control(spec: InputSpec, id: string): HElement {
  const label = h('label', { for: id }, [spec.label]);
  // Disabled until the page's script wires it up: without the notebook, moving it could do nothing.
  const common = { id, 'data-label': spec.label, disabled: true };
  switch (spec.kind) {
    case 'slider': {
      const range = spec.log
        ? { min: 0, max: LOG_POSITIONS, step: 1, value: logPosition(spec, spec.value) }
        : { min: spec.min, max: spec.max, step: spec.step, value: spec.value };
      const shown = inputText(spec);
      return h('div', { class: 'input input-slider' }, [
        label,
        h('input', { type: 'range', ...common, ...range, 'aria-valuetext': shown, 'data-log': String(spec.log) }),
        h('output', { for: id, class: 'input-value' }, [shown]),
        h('span', { class: 'input-range', 'aria-hidden': 'true' }, [`${formatNumber(spec.min)} – ${formatNumber(spec.max)}${spec.log ? ' (log)' : ''}`]),
      ]);
    }
    case 'choice':
      return h('div', { class: 'input input-choice' }, [
        label,
        h('select', common, spec.options.map((option) => h('option', { value: option, ...(option === spec.value ? { selected: true } : {}) }, [option]))),
      ]);
    case 'checkbox':
      return h('div', { class: 'input input-checkbox' }, [h('input', { type: 'checkbox', ...common, ...(spec.value ? { checked: true } : {}) }), label]);
    case 'number':
      return h('div', { class: 'input input-number' }, [
        label,
        h('input', {
          type: 'number',
          ...common,
          value: spec.value,
          ...(spec.min === undefined ? {} : { min: spec.min }),
          ...(spec.max === undefined ? {} : { max: spec.max }),
          step: spec.step ?? 'any',
        }),
      ]);
  }
}
