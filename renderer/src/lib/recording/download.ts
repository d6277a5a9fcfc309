/**
 * Fetches a recording (or an export) in `recordings.download` pages and joins them into one Blob:
 * each page's bytes are decoded on arrival, so a big file never exists as one giant base64 string.
 */
import { MAX_DOWNLOAD_PAGE_BYTES } from '@api'
import type { ApiClient } from '../../api/client'
import { base64ToBytes } from '../base64'

export interface FetchedFile {
  fileName: string
  blob: Blob
}

/** Every page of `id` (a recording id or an export's downloadId), in order. */
export async function fetchDownload(api: ApiClient, id: string, pageBytes = MAX_DOWNLOAD_PAGE_BYTES): Promise<FetchedFile> {
  const parts: Uint8Array<ArrayBuffer>[] = []
  let offset = 0
  let fileName = id
  for (;;) {
    const page = await api.call('recordings.download', { id, offset, length: pageBytes })
    fileName = page.fileName
    const bytes = base64ToBytes(page.base64)
    parts.push(bytes)
    offset += bytes.length
    // A page that brought nothing is the end too: the file shrank under us, do not loop forever.
    if (page.eof || bytes.length === 0) break
  }
  const type = fileName.endsWith('.gz') ? 'application/gzip' : fileName.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson'
  return { fileName, blob: new Blob(parts, { type }) }
}

/**
 * The library's name for a downloaded file, with the stored file's extension kept (the file on
 * disk is named by id, which means nothing in a Downloads folder): "Plant run" + "3f…e.mqtt.jsonl.gz"
 * → "Plant run.mqtt.jsonl.gz". Characters no file system takes become "_".
 */
export function downloadName(name: string, storedFileName: string): string {
  const ext = /(\.mqtt)?\.jsonl(\.gz)?$|\.csv$/.exec(storedFileName)?.[0] ?? ''
  const base = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim().slice(0, 120) || 'recording'
  return base + ext
}
