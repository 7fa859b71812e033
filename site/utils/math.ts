// Wide display formulas scroll sideways inside their KaTeX block (site/styles/math.css). This marks
// the blocks that really overflow, so they get a fade on the side with more to see, a "scroll" cue
// below, a place in the tab order and a label. Base.astro calls it on every page; without
// JavaScript the formulas still scroll, only the hint is missing.

const LABEL = 'Wide formula, scrolls sideways';

/** Marks one display block as overflowing or not, and which of its edges hide more formula. */
function update(display: HTMLElement): void {
  const overflows = display.scrollWidth > display.clientWidth + 1;
  if (!overflows) {
    if (display.dataset.overflow === undefined) return;
    // The cue stays in place, hidden by math.css while its formula fits.
    delete display.dataset.overflow;
    display.removeAttribute('tabindex');
    display.removeAttribute('role');
    display.removeAttribute('aria-label');
    return;
  }
  // Scrolling right moves scrollLeft up from 0; 1 px of slack absorbs sub-pixel widths.
  const left = display.scrollLeft > 1;
  const right = display.scrollLeft + display.clientWidth < display.scrollWidth - 1;
  display.dataset.overflow = left && right ? 'both' : left ? 'left' : 'right';
  if (!display.hasAttribute('tabindex')) {
    // Focusable so the arrow keys scroll it; a group, since a plain span may not carry a label.
    display.tabIndex = 0;
    display.setAttribute('role', 'group');
    display.setAttribute('aria-label', LABEL);
  }
  // The cue's words come from math.css, which reads data-overflow on the block before it.
  if (!display.nextElementSibling?.classList.contains('math-scroll-cue')) {
    const cue = document.createElement('span');
    cue.className = 'math-scroll-cue';
    cue.setAttribute('aria-hidden', 'true');
    display.after(cue);
  }
}

/** Marks every display formula on the page now, and again whenever one is scrolled or resized. */
export function setUpWideFormulas(): void {
  const displays = [...document.querySelectorAll<HTMLElement>('.katex-display')];
  if (displays.length === 0) return;
  // A new column width (rotation, resize) or the KaTeX fonts arriving can change what overflows;
  // observing a block also reports its size once at the start, which marks the page as it loads.
  const resized = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target as HTMLElement)));
  for (const display of displays) {
    display.addEventListener('scroll', () => update(display), { passive: true });
    resized.observe(display);
  }
  document.fonts?.ready.then(() => displays.forEach(update));
}
