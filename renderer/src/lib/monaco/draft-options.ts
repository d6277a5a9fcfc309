/**
 * The publish editor's Monaco options that follow the draft's size. A large draft drops what
 * rescans or resends the whole document after each key, so typing into 1 MB of JSON costs what
 * it costs in 1 kB (found with the `editor-open` bench's CPU profile and trace, 1 MB against
 * 1 kB in the same run):
 * - folding and sticky scroll ask the JSON worker for every folding range of the document after
 *   each edit (about 12,000 for 1 MB) and rebuild their tree from the answer;
 * - bracket-pair colours and matching, and indentation guides, scan further as the model grows;
 * - quick suggestions ask the editor worker for the words of the whole model after each typed
 *   word character (up to 10,000 words, sent back by structured clone);
 * - occurrence and selection highlights search the whole model after cursor moves;
 * - links, colour swatches (Monaco's default colour finder) and Unicode highlights are worker
 *   passes over the text.
 * With these off no worker keeps a mirror of the draft at all. Syntax colours, find, Format and
 * Minify, the app's own JSON check and a JSON Schema's markers stay.
 */
import type * as Monaco from 'monaco-editor/editor'

/** Above this many characters a draft is large. */
export const LARGE_DRAFT_CHARS = 256 * 1024

/** Monaco's defaults for what a large draft turns off. */
const SMALL: Monaco.editor.IEditorOptions = {
  folding: true,
  stickyScroll: { enabled: true },
  bracketPairColorization: { enabled: true },
  matchBrackets: 'always',
  guides: { indentation: true },
  quickSuggestions: { other: 'on', comments: 'off', strings: 'off' },
  occurrencesHighlight: 'singleFile',
  selectionHighlight: true,
  links: true,
  colorDecorators: true,
  unicodeHighlight: { ambiguousCharacters: true, invisibleCharacters: true, nonBasicASCII: 'inUntrustedWorkspace' },
}

const LARGE: Monaco.editor.IEditorOptions = {
  folding: false,
  stickyScroll: { enabled: false },
  bracketPairColorization: { enabled: false },
  matchBrackets: 'never',
  guides: { indentation: false },
  quickSuggestions: false,
  occurrencesHighlight: 'off',
  selectionHighlight: false,
  links: false,
  colorDecorators: false,
  unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false },
}

/** The size-dependent options for a draft of `chars` characters. */
export function draftSizeOptions(chars: number): Monaco.editor.IEditorOptions {
  return { ...(chars > LARGE_DRAFT_CHARS ? LARGE : SMALL) }
}
