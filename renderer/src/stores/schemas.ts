/**
 * Imported schema files (`.proto`, `.avsc`) kept in the data folder on the main side, with the
 * message types each defines; live through `schemas.changed`. Feeds the schema-files dialog and
 * the decoder-rules editor's type pickers.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { ApiError, type MessageRef, type SchemaFileInfo } from '@api'
import { useApi, useApiContext } from '../api/use-api'
import { loadErrorText } from '../lib/format'

export const useSchemasStore = defineStore('schemas', () => {
  const api = useApi()
  const { channel } = useApiContext()
  const files = shallowRef<readonly SchemaFileInfo[]>([])
  const loaded = ref(false)
  /** The last load's failure (e.g. the inspector service is missing), as a sentence. */
  const loadError = ref<string | null>(null)

  api.on('schemas.changed', (list) => {
    files.value = list
    loaded.value = true
  })
  // A new backend link may be a restarted backend, and a load the drop cut short must run again.
  channel.onStatus((_status, reconnected) => {
    if (reconnected) void load()
  })

  /** Every Protobuf message type, fully qualified, sorted (for the rules' type picker). */
  const protobufTypes = computed(() => [...new Set(files.value.filter((f) => f.kind === 'proto' && !f.error).flatMap((f) => f.types))].sort())
  /** The `.avsc` files (a rule names the file). */
  const avroFiles = computed(() => files.value.filter((f) => f.kind === 'avsc').map((f) => f.name))

  async function load(): Promise<void> {
    try {
      files.value = await api.call('schemas.list')
      loaded.value = true
      loadError.value = null
    } catch (err) {
      loadError.value = loadErrorText(err)
    }
  }

  function upsert(info: SchemaFileInfo): void {
    files.value = [...files.value.filter((f) => f.name !== info.name), info].sort((a, b) => a.name.localeCompare(b.name))
  }

  /**
   * Imports one file. Resolves 'conflict' when a file of that name exists and `replace` is not
   * set, so the caller can ask before replacing it; other failures throw their sentence.
   */
  async function importFile(name: string, text: string, replace = false): Promise<SchemaFileInfo | 'conflict'> {
    try {
      const info = await api.call('schemas.import', { name, text, replace })
      upsert(info)
      return info
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SCHEMA_CONFLICT') return 'conflict'
      throw err
    }
  }

  /** Imports a stored message's payload as a schema file (a topic that carries its own `.proto`). */
  async function importMessage(message: MessageRef, name: string, replace = false): Promise<SchemaFileInfo | 'conflict'> {
    try {
      const info = await api.call('schemas.importMessage', { message, name, replace })
      upsert(info)
      return info
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SCHEMA_CONFLICT') return 'conflict'
      throw err
    }
  }

  async function remove(name: string): Promise<void> {
    await api.call('schemas.delete', { name })
    files.value = files.value.filter((f) => f.name !== name)
  }

  return { files, loaded, loadError, protobufTypes, avroFiles, load, importFile, importMessage, remove }
})
