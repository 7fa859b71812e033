// Chapter lookup shared by the index and the chapter pages.
// One place decides the reading order, so the index and prev/next links never disagree.
import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

/** All chapters in reading order (frontmatter `order`, then id to keep ties stable). */
export async function getChapters(): Promise<Chapter[]> {
  const chapters = await getCollection('chapters');
  return chapters.sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
}

/** The URL of a chapter's page. */
export function chapterHref(chapter: Chapter): string {
  return `/chapters/${chapter.id}/`;
}
