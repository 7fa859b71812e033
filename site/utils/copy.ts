// Copy buttons for code. A cell's button sits in its toolbar (client.ts); every other code block
// (Shiki's `pre.astro-code`) gets one in its top-right corner, which stays there while the code
// scrolls sideways. Buttons exist only with JavaScript, copy exactly the code's text, and say
// "Copied" in place (both labels take the same room, so nothing moves) and to screen readers.

let announcer: HTMLElement | undefined;

/** Says `message` to screen readers through one polite live region shared by every button. */
function announce(message: string): void {
  if (!announcer) {
    announcer = document.createElement('span');
    announcer.className = 'visually-hidden';
    announcer.setAttribute('role', 'status');
    document.body.append(announcer);
  }
  // Clearing first makes a repeated "Copied" count as a change.
  announcer.textContent = '';
  requestAnimationFrame(() => {
    if (announcer) announcer.textContent = message;
  });
}

/** Puts `text` on the clipboard: the Clipboard API, or a hidden textarea where it is missing. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('copy was refused');
}

/**
 * A button that copies `text()` when pressed. `name` is its accessible name and must start
 * with the visible word "Copy" (e.g. "Copy the code of cell 3"). The visible labels ("Copy",
 * "Copied", "Not copied") are drawn by CSS from data-state, so the button adds no text to the
 * code block it sits in.
 */
export function copyButton(text: () => string, name: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-button';
  button.setAttribute('aria-label', name);
  button.dataset.state = 'idle';
  let timer: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', async () => {
    clearTimeout(timer);
    try {
      await copyText(text());
      button.dataset.state = 'copied';
      announce('Copied');
    } catch {
      button.dataset.state = 'failed';
      announce('Not copied: select the code and copy it with your keyboard');
    }
    timer = setTimeout(() => (button.dataset.state = 'idle'), 2000);
  });
  return button;
}

/** Gives every code block outside a cell a copy button (once; calling again adds none). Base.astro calls it on every page. */
export function addCopyButtons(root: ParentNode = document): void {
  for (const pre of root.querySelectorAll<HTMLElement>('pre.astro-code')) {
    if (pre.closest('.cell') || pre.querySelector(':scope > .copy-anchor')) continue;
    const code = pre.querySelector('code') ?? pre;
    // A zero-height block that sticks to the visible left edge: the button hangs off its right end.
    const anchor = document.createElement('span');
    anchor.className = 'copy-anchor';
    anchor.append(copyButton(() => code.textContent ?? '', 'Copy code'));
    pre.prepend(anchor);
    pre.classList.add('has-copy');
  }
}
