// The cell editor: CodeMirror 6 with TypeScript, loaded only when a reader starts editing a cell,
// so reading a chapter costs no editor download. It colours code exactly as Shiki colours the
// static code (code-theme.ts gives every token its role; notebook.css holds each role's colour in
// both themes), and it sits where the code was with the same font, size and line numbers.
// Shift+Enter runs the cell, Tab indents, Escape hands the focus back to the page.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { typescriptLanguage } from '@codemirror/lang-javascript';
import { HighlightStyle, LanguageSupport, bracketMatching, indentOnInput, syntaxHighlighting, syntaxTree } from '@codemirror/language';
import { EditorState, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, drawSelection, highlightActiveLineGutter, keymap, lineNumbers, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { contextRoles, roles, tagRoles, typescriptTags, type Role } from './code-theme.ts';

/** What the page needs from an editor. */
export interface CellEditor {
  getValue(): string;
  setValue(text: string): void;
  focus(): void;
}

/** Every role is a class (`tok-keyword`, …) whose colour notebook.css sets for each theme. */
const roleClass = (role: Role): string => `tok-${role}`;

const highlightStyle = HighlightStyle.define(tagRoles.map(({ tag, role }) => ({ tag, class: roleClass(role) })));

const roleMarks = Object.fromEntries(roles.map((role) => [role, Decoration.mark({ class: roleClass(role) })])) as Record<Role, Decoration>;

/** The roles that depend on where a name stands (code-theme.ts), as marks over the visible code. */
const contextHighlighting = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(update: ViewUpdate): void {
      if (update.docChanged || update.viewportChanged || syntaxTree(update.startState) !== syntaxTree(update.state)) this.decorations = this.build(update.view);
    }
    build(view: EditorView): DecorationSet {
      const builder = new RangeSetBuilder<Decoration>();
      const tree = syntaxTree(view.state);
      let last = -1;
      for (const { from, to } of view.visibleRanges) {
        for (const range of contextRoles(tree, (a, b) => view.state.sliceDoc(a, b), from, to)) {
          if (range.from < last) continue; // a node that spans two visible ranges
          builder.add(range.from, range.to, roleMarks[range.role]);
          last = range.from;
        }
      }
      return builder.finish();
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/**
 * The editor's frame in the site's colours: the code's background, muted line numbers on the
 * same background, an accent cursor and a tinted selection, all custom properties from
 * notebook.css so the site's theme switch recolours an open editor too. The page draws the
 * focus ring around the whole code area (notebook.css), so CodeMirror's own outline is off.
 */
const frame = EditorView.theme({
  '&': { color: 'var(--syntax-text)', backgroundColor: 'var(--syntax-bg)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'inherit', lineHeight: 'inherit' },
  '.cm-content': { padding: '0', caretColor: 'var(--syntax-cursor)' },
  '.cm-line': { padding: '0' },
  '.cm-cursor, .cm-dropCursor': { borderLeft: '2px solid var(--syntax-cursor)' },
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground': { backgroundColor: 'var(--syntax-selection)' },
  '.cm-gutters': { backgroundColor: 'var(--syntax-bg)', color: 'var(--syntax-line-number)', border: 'none', paddingRight: 'var(--line-number-gap)' },
  '.cm-lineNumbers .cm-gutterElement': { padding: '0', minWidth: 'var(--line-number-width)' },
  '.cm-activeLineGutter': { backgroundColor: 'transparent' },
  '&.cm-focused .cm-activeLineGutter': { color: 'var(--syntax-text)', fontWeight: '600' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--syntax-bracket)', outline: '1px solid var(--syntax-bracket-outline)' },
  '.cm-nonmatchingBracket': { color: 'var(--syntax-text)', textDecoration: 'underline wavy var(--danger)' },
});

/** Mounts an editor holding `doc` in `parent`. */
export function createEditor(
  parent: HTMLElement,
  doc: string,
  handlers: { onChange: (text: string) => void; onRun: () => void; onEscape: () => void; label: string; describedBy?: string },
): CellEditor {
  const run = (): boolean => {
    handlers.onRun();
    return true;
  };
  const escape = (): boolean => {
    handlers.onEscape();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        new LanguageSupport(typescriptLanguage.configure({ props: [typescriptTags] })),
        syntaxHighlighting(highlightStyle),
        contextHighlighting,
        frame,
        keymap.of([{ key: 'Shift-Enter', run }, { key: 'Mod-Enter', run }, { key: 'Escape', run: escape }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) handlers.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': handlers.label, ...(handlers.describedBy ? { 'aria-describedby': handlers.describedBy } : {}) }),
      ],
    }),
  });
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
