// The light/dark toggle: the page follows the system theme until the reader chooses one,
// and the choice is kept in localStorage (an inline script in <head> applies it before paint).

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
  const label = (): void => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    toggle.textContent = next === 'dark' ? 'Dark theme' : 'Light theme';
    toggle.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
  };
  toggle.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Without storage the choice lasts for this page only.
    }
    label();
  });
  label();
}
