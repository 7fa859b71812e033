// The book this tutorial follows, named: chapter 1 introduces Neural Networks from Scratch in
// Python with its authors and credits the video that inspired the project, and since a reader can
// land on any chapter, every chapter names the book in full before it goes on calling it "the book".
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const chaptersDir = resolve(import.meta.dirname, '../../chapters');
const TITLE = 'Neural Networks from Scratch in Python';
/** A chapter's MDX with every run of whitespace (line breaks too) as one space. */
const text = (file: string): string => readFileSync(join(chaptersDir, file), 'utf8').replace(/\s+/g, ' ');
const chapters = readdirSync(chaptersDir).filter((name) => name.endsWith('.mdx')).sort();
const mentioning = chapters.filter((file) => /\bthe book\b/i.test(text(file)));

describe('the chapters', () => {
  it('introduce the book by title and authors, and the video behind the project, in chapter 1', () => {
    const first = text(chapters[0]);
    expect(first.includes(`*${TITLE}* by Harrison Kinsley and Daniel Kukieła`), 'chapter 1 names the book and its authors').toBe(true);
    expect(first.includes(`Green Code's video "Building a neural network from scratch"`), 'chapter 1 credits the video').toBe(true);
  });

  it('mostly speak of the book, so the naming rule below has chapters to check', () => {
    expect(mentioning.length).toBeGreaterThanOrEqual(chapters.length - 2);
  });

  it.each(mentioning)('%s names the book in full by the end of the sentence that first calls it "the book"', (file) => {
    const chapter = text(file);
    const first = /\bthe book\b/i.exec(chapter)!;
    // The sentence ends at the first full stop, colon or semicolon followed by a space ("9.52" is no end).
    const rest = chapter.slice(first.index);
    const end = first.index + (rest.search(/[.:;!?](\s|$)/) + 1 || rest.length);
    const named = chapter.indexOf(TITLE);
    expect(named, `${file} never names ${TITLE}`).toBeGreaterThanOrEqual(0);
    expect(named, `${file} says "${chapter.slice(first.index, end)}" before naming the book`).toBeLessThan(end);
  });

  it.each(chapters)('%s never calls the tutorial itself "this book"', (file) => {
    expect(text(file)).not.toMatch(/\bthis book\b/i);
  });
});
