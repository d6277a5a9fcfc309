/**
 * JSON Schemas for the publish editor's drafts, checked by Monaco's JSON worker. Monaco's JSON
 * diagnostics are one global switch, and the inspector's read-only pages (which may cut a
 * document mid-way) must never be marked, so the switch is on only while a draft has a schema,
 * and the worker's markers are kept on the draft models alone.
 */
import type * as Monaco from 'monaco-editor/editor'
import type { jsonDefaults as JsonDefaults } from 'monaco-editor/languages/features/json/register'

type MonacoApi = typeof Monaco

/** The owner of the JSON worker's markers. */
export const JSON_MARKER_OWNER = 'json'

/** Sets and clears the schemas of draft models (by model URI). */
export interface DraftSchemas {
  set(modelUri: string, schema: object | null): void
}

export function draftSchemas(monaco: MonacoApi, defaults: typeof JsonDefaults, baseModes: Parameters<typeof JsonDefaults.setModeConfiguration>[0]): DraftSchemas {
  const schemas = new Map<string, object>()
  let filtering = false

  /** Markers the worker put on a model without a draft schema are dropped. */
  function keepDraftMarkersOnly(uris: readonly Monaco.Uri[]): void {
    for (const uri of uris) {
      if (schemas.has(uri.toString())) continue
      const model = monaco.editor.getModel(uri)
      if (model && monaco.editor.getModelMarkers({ owner: JSON_MARKER_OWNER, resource: uri }).length > 0) monaco.editor.setModelMarkers(model, JSON_MARKER_OWNER, [])
    }
  }

  function apply(): void {
    const on = schemas.size > 0
    if (on && !filtering) {
      filtering = true
      monaco.editor.onDidChangeMarkers(keepDraftMarkersOnly)
    }
    defaults.setDiagnosticsOptions({
      validate: on,
      allowComments: false,
      enableSchemaRequest: false,
      schemaValidation: 'error',
      schemas: [...schemas].map(([uri, schema], i) => ({ uri: `inmemory://mqtts/draft-schema-${i}.json`, fileMatch: [uri], schema })),
    })
    defaults.setModeConfiguration({ ...baseModes, diagnostics: on })
    if (!on) for (const model of monaco.editor.getModels()) monaco.editor.setModelMarkers(model, JSON_MARKER_OWNER, [])
  }

  return {
    set(modelUri, schema) {
      if (schema === null) schemas.delete(modelUri)
      else schemas.set(modelUri, schema)
      apply()
    },
  }
}
