// Chapter lookup shared by every page: the reading order, the parts chapters are grouped in,
// and how many exercises each has. One place decides the order, so the sidebar, the front
// page's path and the previous/next links never disagree; new chapters appear everywhere.
import { getCollection, type CollectionEntry } from 'astro:content';
import { withBase } from './base';

/** A chapter as the site shows it: its content entry and its number in reading order (1, 2, 3…). */
export type Chapter = CollectionEntry<'chapters'> & { number: number };

/** A run of consecutive chapters that share a `part` in their frontmatter. */
export interface Part {
  /** 1, 2, 3… in reading order. */
  number: number;
  /** The part's name from the frontmatter, e.g. "The network". */
  title: string;
  chapters: Chapter[];
}

/**
 * All chapters in reading order (frontmatter `order`, then id to keep ties stable), numbered by
 * their place in it: files are numbered with gaps so chapters can be inserted, and the reader
 * still sees 1, 2, 3…
 */
export async function getChapters(): Promise<Chapter[]> {
  const chapters = await getCollection('chapters');
  return chapters.sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id)).map((chapter, index) => ({ ...chapter, number: index + 1 }));
}

/** The chapters grouped into parts; a chapter without a `part` stays in the part before it. */
export function groupIntoParts(chapters: Chapter[]): Part[] {
  const parts: Part[] = [];
  for (const chapter of chapters) {
    const title = chapter.data.part ?? parts.at(-1)?.title ?? 'Chapters';
    const last = parts.at(-1);
    if (last && last.title === title) last.chapters.push(chapter);
    else parts.push({ number: parts.length + 1, title, chapters: [chapter] });
  }
  return parts;
}

/** A part's number as the book prints it: I, II, III… */
export function romanNumeral(n: number): string {
  const numerals: Array<[number, string]> = [[10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [value, numeral] of numerals) while (n >= value) (out += numeral), (n -= value);
  return out;
}

/**
 * How many exercises a chapter has: the live cells after its "## Exercises" heading that call
 * check(). The page finds the same cells (site/utils/progress.ts), so "2/3 solved" adds up.
 */
export function exerciseCount(body: string | undefined): number {
  const [, exercises] = (body ?? '').split(/^##\s+Exercises\s*$/m);
  if (exercises === undefined) return 0;
  const cells = [...exercises.matchAll(/^```(?:ts|typescript)[ \t]+[^\n]*\bcell\b[^\n]*\n([\s\S]*?)^```/gm)];
  return cells.filter((match) => /\bcheck\(/.test(match[1])).length;
}

/** The URL of a chapter's page, under the site's base path. */
export function chapterHref(chapter: Chapter): string {
  return withBase(`/chapters/${chapter.id}/`);
}

/** How many live cells a chapter has (```ts cell blocks). */
export function cellCount(body: string | undefined): number {
  return [...(body ?? '').matchAll(/^```(?:ts|typescript)[ \t]+[^\n]*\bcell\b/gm)].length;
}

/** About how long the prose takes to read, in minutes (code, math and markup not counted). */
export function readingMinutes(body: string | undefined): number {
  const prose = (body ?? '')
    .replace(/^```[\s\S]*?^```/gm, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/^(?:import|export)\s.*$/gm, ' ')
    .replace(/<[^>]+>/g, ' ');
  const words = prose.split(/\s+/).filter((word) => /[A-Za-z]/.test(word)).length;
  return Math.max(1, Math.round(words / 220));
}
