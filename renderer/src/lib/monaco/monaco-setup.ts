/**
 * Monaco as this app uses it, and nothing more: the editor core, the diff editor, the JSON
 * language (tokens, folding ranges from its worker) and plain text, with the few contributions a
 * read-only inspector needs (find, folding, bracket matching, copy, context menu). Imported only
 * through `load.ts`'s dynamic `import()`, so it lands in its own chunk and the app's first paint
 * never pays for it.
 *
 * Workers are bundled locally by Vite's `?worker` imports (same origin, `worker-src 'self'`), so
 * the editor works offline and under the app's CSP with no 'unsafe-eval'.
 */
import * as monaco from 'monaco-editor/editor'
import 'monaco-editor/features/codicon/register'
import 'monaco-editor/features/find/register'
import 'monaco-editor/features/folding/register'
import 'monaco-editor/features/bracketMatching/register'
import 'monaco-editor/features/clipboard/register'
import 'monaco-editor/features/contextmenu/register'
import 'monaco-editor/features/diffEditor/register'
import 'monaco-editor/features/readOnlyMessage/register'
import 'monaco-editor/features/tokenization/register'
import { jsonDefaults } from 'monaco-editor/languages/features/json/register'
// The JSON mode (loaded by Monaco on the first JSON model) reaches Monaco's worker client, whose
// module registers every editor contribution. Contributions registered after the first editor
// exists find their services missing ("depends on UNKNOWN service"), so load it up front.
import 'monaco-editor/internal/common/workers'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker'
import { defineThemes } from './theme'
import { draftSchemas as makeDraftSchemas } from './draft-schemas'

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker()
  },
}

// The inspector shows what arrived, read-only: pages may cut a document mid-way, so no validation
// squiggles, completions or hovers; tokens, folding and selection ranges stay.
jsonDefaults.setDiagnosticsOptions({ validate: false })
const INSPECTOR_MODES = {
  documentFormattingEdits: false,
  documentRangeFormattingEdits: false,
  completionItems: false,
  hovers: false,
  documentSymbols: false,
  colors: false,
  diagnostics: false,
  tokens: true,
  foldingRanges: true,
  selectionRanges: true,
}
jsonDefaults.setModeConfiguration(INSPECTOR_MODES)

defineThemes(monaco)

/** The publish editor's JSON Schemas (validation on only while a draft has one). */
export const draftSchemas = makeDraftSchemas(monaco, jsonDefaults, INSPECTOR_MODES)

export { monaco }
