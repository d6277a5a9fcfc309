/**
 * The one way into Monaco: a dynamic import, so the editor (about 3 MB of script and its
 * workers) is its own chunk, fetched the first time a view needs it and shared afterwards.
 */
import type * as Monaco from 'monaco-editor/editor'

export type MonacoApi = typeof Monaco
export type CodeEditor = Monaco.editor.IStandaloneCodeEditor
export type DiffEditor = Monaco.editor.IStandaloneDiffEditor

type Setup = typeof import('./monaco-setup')
export type { DraftSchemas } from './draft-schemas'

let loading: Promise<Setup> | null = null

function loadSetup(): Promise<Setup> {
  loading ??= import('./monaco-setup').catch((err: unknown) => {
    loading = null
    throw err
  })
  return loading
}

/** Monaco, loaded once. A failed load (e.g. a chunk the server could not send) may be retried. */
export function loadMonaco(): Promise<MonacoApi> {
  return loadSetup().then((m) => m.monaco)
}

/** Monaco with the publish editor's JSON Schema switch (same chunk, loaded once). */
export function loadMonacoForDrafts(): Promise<{ monaco: MonacoApi; schemas: Setup['draftSchemas'] }> {
  return loadSetup().then((m) => ({ monaco: m.monaco, schemas: m.draftSchemas }))
}
