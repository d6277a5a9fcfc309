/** The `recorder.*` and `recordings.*` methods. */
import { open, stat } from 'node:fs/promises'
import { ApiError, type ServiceHandlers } from '../../api'
import { writeFileAtomic } from '../storage/atomic-json'
import { recordingNameOf } from './adopt-file'
import { exportPath, exportRecording, pruneExports } from './export'
import { convertImport, decodeImport } from './import'
import type { RecordingManager } from './recording-manager'

type RecordingMethod = Extract<keyof ServiceHandlers, `recorder.${string}` | `recordings.${string}`>

/**
 * The desktop shell's OS save dialog: copies `sourcePath` where the user chooses, starting from
 * `suggestedName`; resolves with the chosen path, or null when cancelled.
 */
export type SaveFileAs = (suggestedName: string, sourcePath: string) => Promise<string | null>

export function recordingService(recordings: RecordingManager, saveFileAs?: SaveFileAs): Pick<ServiceHandlers, RecordingMethod> {
  const store = recordings.store
  // Exports of an earlier run: no window can still be downloading them.
  void pruneExports(store.dir, 0)
  /** An export's file, or a recording's. */
  const fileOf = async (id: string): Promise<string> => (await exportPath(store.dir, id)) ?? (await store.path(id))
  return {
    'recorder.start': (params) => recordings.start(params),
    'recorder.stop': ({ recorderId }) => recordings.stop(recorderId),
    'recorder.list': async () => recordings.list(),
    'recordings.list': () => store.list(),
    'recordings.rename': async ({ recordingId, name }) => {
      const info = await store.rename(recordingId, name)
      await recordings.changed()
      return info
    },
    'recordings.delete': async ({ recordingId }) => {
      await store.delete(recordingId)
      await recordings.changed()
      return { deleted: true as const }
    },
    'recordings.import': async ({ fileName, contentBase64, kind }) => {
      const name = recordingNameOf(fileName)
      const converted = convertImport(decodeImport(Buffer.from(contentBase64, 'base64')), kind ?? 'auto', name)
      const entry = await store.create(false)
      await writeFileAtomic(entry.path, converted.text)
      await store.rescan(entry.id, entry.path, name)
      await recordings.changed()
      return store.info(entry.id)
    },
    'recordings.export': async ({ recordingId, selection, format }) => {
      const info = await store.info(recordingId)
      const base = info.name.replace(/[^\w.-]+/g, '_').slice(0, 100) || recordingId
      return exportRecording(store.dir, await store.path(recordingId), base, selection ?? { filters: [] }, format)
    },
    'recordings.download': async ({ id, offset, length }) => {
      const path = await fileOf(id)
      const size = (await stat(path)).size
      const handle = await open(path, 'r')
      try {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)))
        const { bytesRead } = await handle.read(buf, 0, buf.length, offset)
        return { fileName: path.split(/[\\/]/).pop() ?? id, size, base64: buf.subarray(0, bytesRead).toString('base64'), eof: offset + bytesRead >= size }
      } finally {
        await handle.close()
      }
    },
    'recordings.saveAs': async ({ id }) => {
      if (!saveFileAs) throw new ApiError('BAD_REQUEST', 'Saving to a folder you choose needs the desktop app: in browser mode, use Download.')
      const path = await fileOf(id)
      const fileName = path.split(/[\\/]/).pop() ?? id
      // A recording is suggested under its name (the file on disk is named by its id).
      const info = await store.info(id).catch(() => undefined)
      const suggested = info ? `${info.name.replace(/[^\w. -]+/g, '_').slice(0, 100) || id}${fileName.slice(fileName.indexOf('.'))}` : fileName
      const saved = await saveFileAs(suggested, path)
      return saved === null ? { saved: false } : { saved: true, path: saved }
    },
  }
}
