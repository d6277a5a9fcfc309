/**
 * Exports a selection of a recording as our JSONL (plain or gzip) or as CSV, into
 * `<dataDir>/recordings/exports/<downloadId>.<ext>`, fetched by `recordings.download` pages.
 * Streamed: a recording larger than memory exports fine. An export is a file to download, not a
 * copy to keep: each new export removes those older than EXPORT_KEEP_MS, and the app's start
 * removes all of them (no window of an earlier run can still be fetching one).
 */
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { createGzip } from 'node:zlib'
import type { RecordingExport } from '../../api'
import { ensurePrivateDir } from '../storage/atomic-json'
import { headerLine, gapLine, messageLine, type RecordedMessage } from './format'
import { readRecording, type SourceSelection } from './recording-source'

export type ExportFormat = 'jsonl' | 'jsonl.gz' | 'csv'

const EXT: Record<ExportFormat, string> = { jsonl: '.mqtt.jsonl', 'jsonl.gz': '.mqtt.jsonl.gz', csv: '.csv' }
const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** How long an export waits to be downloaded. */
export const EXPORT_KEEP_MS = 60 * 60 * 1000

export function exportsDir(recordingsDir: string): string {
  return join(recordingsDir, 'exports')
}

/** Removes exports last written more than `olderThanMs` ago; returns how many. Never throws. */
export async function pruneExports(recordingsDir: string, olderThanMs: number, now = Date.now()): Promise<number> {
  const dir = exportsDir(recordingsDir)
  const names = await readdir(dir).catch(() => [] as string[])
  let removed = 0
  for (const name of names) {
    const path = join(dir, name)
    try {
      if (now - (await stat(path)).mtimeMs < olderThanMs) continue
      await rm(path, { force: true })
      removed++
    } catch {
      // Gone already, or not ours to remove: the next prune tries again.
    }
  }
  return removed
}

export async function exportRecording(recordingsDir: string, sourcePath: string, baseName: string, selection: SourceSelection, format: ExportFormat): Promise<RecordingExport> {
  const dir = exportsDir(recordingsDir)
  await ensurePrivateDir(dir)
  await pruneExports(recordingsDir, EXPORT_KEEP_MS)
  const downloadId = randomUUID()
  const path = join(dir, downloadId + EXT[format])
  const file = createWriteStream(path, { mode: 0o600 })
  let out: Writable = file
  if (format === 'jsonl.gz') {
    const gz = createGzip()
    gz.pipe(file)
    out = gz
  }
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  let messageCount = 0
  if (format === 'csv') await write('offset_us,wall_iso,topic,qos,retain,payload_base64,payload_utf8\n')
  for await (const item of readRecording(sourcePath, selection)) {
    if (item.kind === 'header') {
      if (format !== 'csv') await write(headerLine({ ...item.header, importedFrom: 'export', filters: selection.filters ?? [] }) + '\n')
    } else if (item.kind === 'gap') {
      if (format !== 'csv') await write(gapLine(item.gap) + '\n')
    } else {
      messageCount++
      await write((format === 'csv' ? csvRow(item.message) : messageLine(item.message)) + '\n')
    }
  }
  out.end()
  await once(file, 'close')
  return { downloadId, fileName: baseName + EXT[format], size: (await stat(path)).size, messageCount }
}

/** The file of an export, by its download id, or null. */
export async function exportPath(recordingsDir: string, downloadId: string): Promise<string | null> {
  const dir = exportsDir(recordingsDir)
  const names = await readdir(dir).catch(() => [] as string[])
  const name = names.find((n) => n.startsWith(downloadId + '.'))
  return name ? join(dir, name) : null
}

function csvRow(m: RecordedMessage): string {
  let text = ''
  try {
    text = UTF8.decode(m.payload)
  } catch {
    // Not valid UTF-8: the column stays empty, the base64 column has the bytes.
  }
  return [String(m.offsetUs), new Date(m.wallMs).toISOString(), csvField(m.topic), String(m.qos), m.retain ? '1' : '0', m.payload.toString('base64'), csvField(text)].join(',')
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
