/**
 * The recordings library and the live recorders. Both live on the main side, so this store only
 * mirrors them: `recordings.list` and `recorder.list` at start and on a new backend link, then
 * every `recordings.changed` and `recorder.progress`. A stopped recorder stays shown on its
 * connection (with Download) until dismissed. Also what the library dialog shows, because the
 * footer, the record indicator and the connection bar all open it.
 */
import { defineStore } from 'pinia'
import { computed, ref, triggerRef } from 'vue'
import type { MethodParams, RecorderState, RecordingExport, RecordingInfo } from '@api'
import { useApiContext } from '../api/use-api'
import { useAppStore } from './app'
import { downloadBlob, readBase64 } from '../lib/files'
import { loadErrorText } from '../lib/format'
import { t } from '../lib/i18n'
import { downloadName, fetchDownload } from '../lib/recording/download'

export type ImportKind = MethodParams<'recordings.import'>['kind']

export const useRecordingsStore = defineStore('recordings', () => {
  const { client: api, channel } = useApiContext()
  const list = ref<RecordingInfo[]>([])
  const recorders = ref(new Map<string, RecorderState>())
  const loadError = ref<string | null>(null)
  /** The library dialog is open. */
  const libraryOpen = ref(false)
  /** The recording the replay dialog is open for, if any. */
  const replayRecordingId = ref<string | null>(null)
  /** Stopped recorders the user closed in this window. */
  const dismissed = new Set<string>()

  api.on('recordings.changed', (infos) => (list.value = sorted(infos)))
  api.on('recorder.progress', put)
  channel.onStatus((_status, reconnected) => {
    if (reconnected) void load()
  })

  /** Newest first: the one just recorded is on top. */
  function sorted(infos: RecordingInfo[]): RecordingInfo[] {
    return [...infos].sort((a, b) => b.startedAt - a.startedAt)
  }

  function put(state: RecorderState): void {
    if (dismissed.has(state.recorderId)) return
    const known = recorders.value.get(state.recorderId)
    // A stopped recorder never records again: a late progress event must not revive it.
    if (known && known.state !== 'recording' && state.state === 'recording') return
    recorders.value.set(state.recorderId, state)
    triggerRef(recorders)
  }

  async function load(): Promise<void> {
    try {
      const [infos, live] = await Promise.all([api.call('recordings.list'), api.call('recorder.list')])
      list.value = sorted(infos)
      for (const r of live) put(r)
      // Recorders the backend no longer knows (it restarted) are not recording any more.
      const ids = new Set(live.map((r) => r.recorderId))
      for (const [id, r] of recorders.value) if (!ids.has(id) && r.state === 'recording') recorders.value.delete(id)
      triggerRef(recorders)
      loadError.value = null
    } catch (err) {
      loadError.value = loadErrorText(err)
    }
  }

  /** The recorder shown on a connection's bar: the running one, else the last one stopped there. */
  function recorderOf(connectionId: string): RecorderState | null {
    const mine = [...recorders.value.values()].filter((r) => r.connectionId === connectionId)
    return mine.find((r) => r.state === 'recording') ?? mine.sort((a, b) => b.startedAt - a.startedAt)[0] ?? null
  }

  function byId(recordingId: string): RecordingInfo | undefined {
    return list.value.find((r) => r.id === recordingId)
  }

  async function start(params: MethodParams<'recorder.start'>): Promise<RecorderState> {
    // A new recording replaces the last one's "Download" on this connection.
    for (const r of recorders.value.values()) if (r.connectionId === params.connectionId && r.state !== 'recording') dismiss(r.recorderId)
    const state = await api.call('recorder.start', params)
    put(state)
    return state
  }

  async function stop(recorderId: string): Promise<RecorderState> {
    const state = await api.call('recorder.stop', { recorderId })
    put(state)
    return state
  }

  function dismiss(recorderId: string): void {
    dismissed.add(recorderId)
    recorders.value.delete(recorderId)
    triggerRef(recorders)
  }

  async function rename(recordingId: string, name: string): Promise<void> {
    const info = await api.call('recordings.rename', { recordingId, name })
    list.value = sorted(list.value.map((r) => (r.id === info.id ? info : r)))
  }

  async function remove(recordingId: string): Promise<void> {
    await api.call('recordings.delete', { recordingId })
    list.value = list.value.filter((r) => r.id !== recordingId)
  }

  /** Reads a chosen file and hands it to the backend, which recognises (or is told) its format. */
  async function importFile(file: File, kind: ImportKind = 'auto'): Promise<RecordingInfo> {
    const info = await api.call('recordings.import', { fileName: file.name, contentBase64: await readBase64(file), kind })
    if (!byId(info.id)) list.value = sorted([...list.value, info])
    return info
  }

  /** How a file is offered here: the desktop app saves where you choose, a browser downloads. */
  const saveKind = computed<'saveAs' | 'download'>(() => (useAppStore().info?.mode === 'electron' ? 'saveAs' : 'download'))
  /** What offering a file is called, in the UI's language (t() reads the locale, so this follows a switch). */
  const saveLabel = computed(() => t(`recording.save.${saveKind.value}`))

  /**
   * Offers a recording's file (or an export): the desktop app asks where with the OS save dialog
   * and copies it there (main side); browser mode downloads it, fetched page by page, named after
   * `name` when given. Resolves with a sentence saying what happened.
   */
  async function download(id: string, name?: string): Promise<string> {
    if (useAppStore().info?.mode === 'electron') {
      const saved = await api.call('recordings.saveAs', { id })
      return saved.saved ? t('recording.save.savedTo', { path: saved.path }) : t('recording.save.notSaved')
    }
    const { fileName, blob } = await fetchDownload(api, id)
    const shown = name ? downloadName(name, fileName) : fileName
    downloadBlob(shown, blob)
    return t('recording.save.downloaded', { file: shown })
  }

  /** Writes a selection on the main side, then offers it as a download. */
  async function exportSelection(params: MethodParams<'recordings.export'>): Promise<RecordingExport> {
    const result = await api.call('recordings.export', params)
    await download(result.downloadId)
    return result
  }

  void load()

  return {
    list,
    recorders,
    loadError,
    libraryOpen,
    replayRecordingId,
    load,
    recorderOf,
    byId,
    start,
    stop,
    dismiss,
    rename,
    remove,
    importFile,
    download,
    saveKind,
    saveLabel,
    exportSelection,
  }
})
