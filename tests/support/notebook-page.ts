// Driving a chapter's notebook from a browser test: type code into a cell through its editor, and
// wait until the notebook runs nothing. Used by the notebook, editor and site tests and the page tours.
import type { Page } from 'playwright-core';

/** Replaces the code of cell `index` through its editor. */
export async function typeInto(page: Page, index: number, code: string): Promise<void> {
  const cell = page.locator(`section.cell[data-cell="${index}"]`);
  await cell.getByRole('button', { name: 'Edit' }).click();
  const editor = cell.locator('.cm-content');
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
}

/** Waits until the notebook runs nothing. */
export const idle = (page: Page, timeout = 60_000): Promise<unknown> =>
  page.waitForFunction(() => document.querySelector<HTMLElement>('[data-chapter-seed]')?.dataset.running === undefined, undefined, { timeout });
