// The sidebar drawer on narrow screens and the table of contents' current section. Without
// JavaScript the menu is a link that opens the sidebar with :target; this turns it into a button
// that opens a drawer, closes on Escape, the backdrop or a link, and hands focus back.

/** Wires the header's menu button to open and close the sidebar drawer. */
export function setUpSidebar(): void {
  const root = document.documentElement;
  const sidebar = document.getElementById('sidebar');
  const button = document.querySelector<HTMLButtonElement>('.menu-button');
  if (!sidebar || !button) return;
  const isOpen = (): boolean => root.dataset.sidebar === 'open';
  const open = (): void => {
    root.dataset.sidebar = 'open';
    button.setAttribute('aria-expanded', 'true');
    const target = sidebar.querySelector<HTMLElement>('[aria-current="page"]') ?? sidebar.querySelector<HTMLElement>('a, button');
    // The drawer slides in; focus once it is visible, so the focus ring is where the eye is.
    requestAnimationFrame(() => target?.focus({ preventScroll: false }));
  };
  const close = (returnFocus: boolean): void => {
    if (!isOpen()) return;
    delete root.dataset.sidebar;
    button.setAttribute('aria-expanded', 'false');
    if (returnFocus) button.focus();
  };
  button.addEventListener('click', () => (isOpen() ? close(true) : open()));
  sidebar.querySelector('[data-sidebar-close]')?.addEventListener('click', () => close(true));
  document.querySelector('[data-sidebar-backdrop]')?.addEventListener('click', () => close(true));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen()) close(true);
  });
  // Tabbing out of the drawer closes it, so focus never wanders behind the backdrop.
  sidebar.addEventListener('focusout', (event) => {
    const next = event.relatedTarget as Node | null;
    if (next && !sidebar.contains(next) && next !== button) close(false);
  });
  sidebar.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('a')) close(false);
  });
  // A wide screen shows the sidebar anyway; leave no drawer state behind when the window grows.
  matchMedia('(min-width: 62rem)').addEventListener('change', (event) => event.matches && close(false));
}

/** Marks the table of contents' entry for the section being read (aria-current="location"). */
export function setUpTocHighlight(): void {
  const links = Array.from(document.querySelectorAll<HTMLAnchorElement>('.toc a[href^="#"]'));
  const sections = links.map((link) => document.getElementById(decodeURIComponent(link.hash.slice(1)))).filter((h): h is HTMLElement => h !== null);
  if (sections.length === 0) return;
  let ticking = false;
  const update = (): void => {
    ticking = false;
    // The current section is the last heading above the upper third of the window.
    const line = window.innerHeight / 3;
    let current = sections[0];
    for (const heading of sections) if (heading.getBoundingClientRect().top <= line) current = heading;
    for (const link of links) {
      if (link.hash.slice(1) === current.id) link.setAttribute('aria-current', 'location');
      else link.removeAttribute('aria-current');
    }
  };
  const schedule = (): void => {
    if (!ticking) (ticking = true), requestAnimationFrame(update);
  };
  window.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule, { passive: true });
  update();
}
