/**
 * The one way into Monaco: a dynamic import, so the editor (about 3 MB of script and its
 * workers) is its own chunk, fetched the first time a view needs it and shared afterwards.
 */
import type * as Monaco from 'monaco-editor/editor'

export type MonacoApi = typeof Monaco
export type CodeEditor = Monaco.editor.IStandaloneCodeEditor
export type DiffEditor = Monaco.editor.IStandaloneDiffEditor
export type ModelDecoration = Monaco.editor.IModelDeltaDecoration

let loading: Promise<MonacoApi> | null = null

/** Monaco, loaded once. A failed load (e.g. a chunk the server could not send) may be retried. */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= import('./monaco-setup').then(
    (m) => m.monaco,
    (err: unknown) => {
      loading = null
      throw err
    },
  )
  return loading
}
