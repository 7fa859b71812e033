// The page's side of a cell's inputs: reads the values of the controls the build drew
// (input-controls.ts), shows each value as it changes, tells the notebook when one changed, and
// puts them back to their defaults for Reset. Only the small inputs.ts is imported, so the page
// loads no cell compiler and no library for this.
import { LOG_POSITIONS, inputText, logPosition, logValue, type InputSpec, type InputValue } from './inputs.ts';

/** The controls of one cell, as the page wires them. */
export class CellControls {
  readonly container: HTMLElement;
  private specs: InputSpec[];

  /** Wires the controls in `container`; `onChange` hears of every change a reader makes, `typing` for a number field still being typed. */
  constructor(container: HTMLElement, onChange: (typing: boolean) => void) {
    this.container = container;
    this.specs = JSON.parse(container.dataset.inputs ?? '[]') as InputSpec[];
    this.specs.forEach((spec, k) => {
      const element = this.element(k);
      if (!element) return;
      element.disabled = false;
      const changed = (typing: boolean): void => {
        this.specs[k] = { ...spec, value: this.read(k) } as InputSpec;
        this.show(k);
        onChange(typing);
      };
      if (spec.kind === 'slider') element.addEventListener('input', () => changed(false));
      else if (spec.kind === 'number') {
        element.addEventListener('input', () => changed(true));
        element.addEventListener('change', () => changed(false));
      } else element.addEventListener('change', () => changed(false));
    });
  }

  /** The signature the build or the last run wrote: what the inputs are, not their values. */
  get signature(): string {
    return this.container.dataset.signature ?? '';
  }

  private element(k: number): HTMLInputElement | HTMLSelectElement | null {
    return this.container.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-label]')[k] ?? null;
  }

  /** The value control `k` holds now, as the cell will receive it. */
  private read(k: number): InputValue {
    const spec = this.specs[k];
    const element = this.element(k)!;
    if (spec.kind === 'checkbox') return (element as HTMLInputElement).checked;
    if (spec.kind === 'choice') return element.value;
    const number = Number(element.value);
    if (spec.kind === 'slider' && spec.log) return logValue(spec, Math.min(LOG_POSITIONS, Math.max(0, number)));
    // A half-typed number ("", "-") keeps the last value that made sense.
    return Number.isFinite(number) && element.value.trim() !== '' ? number : spec.value;
  }

  /** Shows control `k`'s value beside it and to screen readers. */
  private show(k: number): void {
    const spec = this.specs[k];
    if (spec.kind !== 'slider') return;
    const element = this.element(k)!;
    const text = inputText(spec);
    element.setAttribute('aria-valuetext', text);
    const output = this.container.querySelector(`output[for="${CSS.escape(element.id)}"]`);
    if (output) output.textContent = text;
  }

  /** Every value by label, for the run request. */
  values(): Record<string, InputValue> {
    return Object.fromEntries(this.specs.map((spec) => [spec.label, spec.value]));
  }

  /** True when some input holds a value other than its default. */
  get moved(): boolean {
    return this.specs.some((spec) => spec.value !== spec.initial);
  }

  /** Puts every control back to its default (Reset); true if any value changed. */
  reset(): boolean {
    const moved = this.moved;
    this.specs.forEach((spec, k) => {
      const element = this.element(k);
      if (!element) return;
      if (spec.kind === 'checkbox') (element as HTMLInputElement).checked = spec.initial;
      else if (spec.kind === 'slider' && spec.log) element.value = String(logPosition(spec, spec.initial));
      else element.value = String(spec.initial);
      this.specs[k] = { ...spec, value: spec.initial } as InputSpec;
      this.show(k);
    });
    return moved;
  }
}
