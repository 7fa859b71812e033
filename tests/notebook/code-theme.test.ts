// Checks the one palette of code (site/notebook/code-theme.ts) without a browser: the editor's
// roles give every character of every chapter's cells the colour Shiki gives it in both themes,
// the roles that need the syntax tree never compete with the tags' own, and every colour Shiki
// uses for the site's code (cells and quoted library files) keeps 4.5:1 against its background.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { highlightTree, tagHighlighter } from '@lezer/highlight';
import { parser } from '@lezer/javascript';
import { createHighlighter, type ThemeRegistrationResolved } from 'shiki';
import { beforeAll, describe, expect, it } from 'vitest';
import { readChapter } from '../../site/notebook/chapter.ts';
import { codeThemes, contextRoles, roles, tagRoles, typescriptTags, type Role } from '../../site/notebook/code-theme.ts';
import { contrast } from './colour.ts';

const root = resolve(import.meta.dirname, '../..');
const chapterFiles = readdirSync(join(root, 'chapters')).filter((file) => file.endsWith('.mdx')).sort();
const cells = chapterFiles.flatMap((file) => readChapter(readFileSync(join(root, 'chapters', file), 'utf8')).cells.map((cell) => ({ file, index: cell.index, source: cell.source })));
const libraryFiles = readdirSync(join(root, 'lib')).filter((file) => file.endsWith('.ts')).map((file) => readFileSync(join(root, 'lib', file), 'utf8'));

const typescript = parser.configure({ dialect: 'ts', props: [typescriptTags] });
const tagClasses = tagHighlighter(tagRoles.flatMap(({ tag, role }) => tag.map((one) => ({ tag: one, class: role }))));

/** The role the editor gives each character of `source`: from the tags, then from the syntax tree. */
function editorRoles(source: string): { roles: Array<Role | 'text'>; overlaps: string[] } {
  const found: Array<Role | 'text'> = new Array(source.length).fill('text');
  const tree = typescript.parse(source);
  highlightTree(tree, tagClasses, (from, to, classes) => found.fill(classes as Role, from, to));
  const overlaps: string[] = [];
  for (const range of contextRoles(tree, (from, to) => source.slice(from, to))) {
    if (found.slice(range.from, range.to).some((role) => role !== 'text')) overlaps.push(source.slice(range.from, range.to));
    found.fill(range.role, range.from, range.to);
  }
  return { roles: found, overlaps };
}

/** The scope whose colour stands for each role in GitHub's themes. */
const ROLE_SCOPES: Record<Role, string> = { comment: 'comment', keyword: 'keyword', constant: 'constant', entity: 'entity.name', function: 'entity.name.function', string: 'string' };

/** Each role's colour in `theme` (and the plain text's), read from the theme's own rules. */
function roleColours(theme: ThemeRegistrationResolved): Record<Role | 'text', string> {
  const colours = { text: theme.fg.toLowerCase() } as Record<Role | 'text', string>;
  for (const role of roles) {
    const rule = theme.settings.findLast((setting) => ([] as string[]).concat(setting.scope ?? []).includes(ROLE_SCOPES[role]));
    colours[role] = String(rule?.settings.foreground).toLowerCase();
  }
  return colours;
}

let highlighter: Awaited<ReturnType<typeof createHighlighter>>;
/** Shiki's colour for each character of each source, per theme: tokenized once, up front. */
const shiki = new Map<string, Map<string, string[]>>();

/** Shiki gives up on a line after 500 ms and colours the rest of it as one token; a busy test machine must not change colours. */
const TIME_LIMIT_MS = 60_000;

beforeAll(async () => {
  highlighter = await createHighlighter({ themes: Object.values(codeThemes), langs: ['ts'] });
  for (const theme of Object.values(codeThemes)) {
    const fg = highlighter.getTheme(theme).fg.toLowerCase();
    const bySource = new Map<string, string[]>();
    for (const source of [...cells.map((cell) => cell.source), ...libraryFiles]) {
      const colours: string[] = new Array(source.length).fill('');
      for (const line of highlighter.codeToTokens(source, { lang: 'ts', theme, tokenizeTimeLimit: TIME_LIMIT_MS }).tokens) {
        for (const token of line) colours.fill((token.color ?? fg).toLowerCase(), token.offset, token.offset + token.content.length);
      }
      bySource.set(source, colours);
    }
    shiki.set(theme, bySource);
  }
});

/** Shiki's colour for each character of `source`. */
const shikiColours = (source: string, theme: string): string[] => shiki.get(theme)!.get(source)!;

describe('the palette of code', () => {
  it('has cells to compare', () => {
    expect(cells.length).toBeGreaterThan(50);
  });

  it.each(Object.entries(codeThemes))('gives every character of every chapter cell the colour Shiki gives it in the %s theme', (_, theme) => {
    const colourOf = roleColours(highlighter.getTheme(theme));
    const differences: string[] = [];
    for (const cell of cells) {
      const shiki = shikiColours(cell.source, theme);
      const { roles: editor } = editorRoles(cell.source);
      for (let i = 0; i < cell.source.length; i++) {
        if (/\s/.test(cell.source[i]) || shiki[i] === colourOf[editor[i]]) continue;
        const word = /[\w$]*$/.exec(cell.source.slice(0, i))![0] + /^[\w$]*/.exec(cell.source.slice(i))![0];
        differences.push(`${cell.file} cell ${cell.index + 1}: "${word || cell.source[i]}" is ${shiki[i]} in Shiki, ${editor[i]} (${colourOf[editor[i]]}) in the editor`);
      }
    }
    expect([...new Set(differences)].slice(0, 10)).toEqual([]);
  });

  it('never gives a token a role from the syntax tree where the tags already gave it one', () => {
    expect(cells.flatMap((cell) => editorRoles(cell.source).overlaps.map((text) => `${cell.file} cell ${cell.index + 1}: ${text}`))).toEqual([]);
  });

  it.each(Object.entries(codeThemes))('keeps every colour Shiki gives the site’s code at 4.5:1 or more against the %s theme’s background', (_, theme) => {
    const background = highlighter.getTheme(theme).bg;
    const used = new Set([...cells.map((cell) => cell.source), ...libraryFiles].flatMap((source) => shikiColours(source, theme)));
    const low = [...used].filter(Boolean).map((colour) => `${colour} on ${background}: ${contrast(colour, background).toFixed(2)}:1`).filter((line) => Number(line.split(': ')[1].split(':')[0]) < 4.5);
    expect(low).toEqual([]);
  });
});
