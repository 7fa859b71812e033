// The cell editor: CodeMirror 6 with TypeScript highlighting, loaded only when a reader starts
// editing a cell, so reading a chapter costs no editor download. Shift+Enter runs the cell.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';

/** What the page needs from an editor. */
export interface CellEditor {
  getValue(): string;
  setValue(text: string): void;
  focus(): void;
}

/** Mounts an editor holding `doc` in `parent`. */
export function createEditor(parent: HTMLElement, doc: string, handlers: { onChange: (text: string) => void; onRun: () => void; label: string }): CellEditor {
  const run = (): boolean => {
    handlers.onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript({ typescript: true }),
        keymap.of([{ key: 'Shift-Enter', run }, { key: 'Mod-Enter', run }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) handlers.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': handlers.label }),
      ],
    }),
  });
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
