// The light/dark toggle: the page follows the system theme until the reader chooses one,
// and the choice is kept in localStorage (an inline script in <head> applies it before paint).
// The button says what it will do ("Dark theme" while the page is light, "Light theme" while dark).

const KEY = 'scratchnet:theme';

/** The theme in effect: the reader's choice, or the system's. */
function currentTheme(): 'light' | 'dark' {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Wires the header's toggle button to flip the theme and remember the choice. */
export function setUpThemeToggle(): void {
  const toggle = document.querySelector<HTMLButtonElement>('.theme-toggle');
  if (!toggle) return;
  const label = toggle.querySelector<HTMLElement>('.theme-label') ?? toggle;
  const show = (): void => {
    const dark = currentTheme() === 'dark';
    label.textContent = dark ? 'Light theme' : 'Dark theme';
    toggle.dataset.current = dark ? 'dark' : 'light';
    toggle.title = dark ? 'Switch to the light theme' : 'Switch to the dark theme';
  };
  toggle.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Without storage the choice lasts for this page only.
    }
    show();
  });
  // Until the reader chooses, the system's theme can change under the page (e.g. at dusk).
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', show);
  toggle.hidden = false;
  show();
}
