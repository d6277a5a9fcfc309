/**
 * The recordings library: `<dataDir>/recordings/<id>.mqtt.jsonl[.gz]`, each with a small sidecar
 * `<id>.meta.json` (name and stats) so listing never reads the recordings themselves. A sidecar
 * that is missing or older than its file (a crash while recording, a file copied in by hand) is
 * rebuilt by one streamed scan of the file.
 */
import { randomUUID } from 'node:crypto'
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ApiError, type RecordingInfo } from '../../api'
import { z } from 'zod'
import { ensurePrivateDir, writeJsonAtomic } from '../storage/atomic-json'
import { readStoredFile } from '../storage/stored-file'
import { readRecording } from './recording-source'

const PLAIN_EXT = '.mqtt.jsonl'
const GZIP_EXT = '.mqtt.jsonl.gz'
const META_EXT = '.meta.json'
const ID = /^[A-Za-z0-9_-]{1,100}$/

/** What the sidecar keeps: everything of RecordingInfo that is not read from the file system. */
type Meta = Omit<RecordingInfo, 'id' | 'fileName' | 'gzip' | 'size' | 'recording'> & { fileMtimeMs: number }

/** The sidecar as read back: checked like every stored file; a damaged one is set aside and rebuilt from the recording. */
const MetaSchema: z.ZodType<Meta> = z.object({
  name: z.string(),
  brokerUrl: z.string(),
  mqttVersion: z.union([z.literal(3), z.literal(4), z.literal(5), z.null()]),
  startedAt: z.number(),
  durationMs: z.number(),
  messageCount: z.number(),
  topicCount: z.number(),
  gaps: z.number(),
  source: z.enum(['recorded', 'mosquitto_sub', 'mqtt-recorder-rs', 'export']),
  truncated: z.boolean(),
  badLines: z.number(),
  fileMtimeMs: z.number(),
})

export class RecordingStore {
  readonly dir: string
  /** Ids a recorder is writing now: their sidecars are rewritten at stop, not rescanned. */
  private readonly writing = new Set<string>()

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'recordings')
  }

  async ensureDir(): Promise<void> {
    await ensurePrivateDir(this.dir)
  }

  /** A new library entry's id and file path (the file itself is created by the writer). */
  async create(gzip: boolean): Promise<{ id: string; path: string }> {
    await this.ensureDir()
    const id = randomUUID()
    return { id, path: join(this.dir, id + (gzip ? GZIP_EXT : PLAIN_EXT)) }
  }

  markWriting(id: string, writing: boolean): void {
    if (writing) this.writing.add(id)
    else this.writing.delete(id)
  }

  async list(): Promise<RecordingInfo[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const out: RecordingInfo[] = []
    for (const name of names) {
      const id = idOf(name)
      if (!id) continue
      const info = await this.info(id).catch(() => undefined)
      if (info) out.push(info)
    }
    return out.sort((a, b) => b.startedAt - a.startedAt)
  }

  /** The file of `id`, or RECORDING_NOT_FOUND. */
  async path(id: string): Promise<string> {
    if (!ID.test(id)) throw notFound(id)
    for (const ext of [PLAIN_EXT, GZIP_EXT]) {
      const path = join(this.dir, id + ext)
      if (await exists(path)) return path
    }
    throw notFound(id)
  }

  async info(id: string): Promise<RecordingInfo> {
    const path = await this.path(id)
    const st = await stat(path)
    let meta = await this.readMeta(id)
    const recording = this.writing.has(id)
    if (!meta || (!recording && meta.fileMtimeMs < Math.floor(st.mtimeMs))) meta = await this.rescan(id, path, meta?.name)
    const fileName = path.slice(this.dir.length + 1)
    const { fileMtimeMs: _ignored, ...rest } = meta
    return { ...rest, id, fileName, gzip: path.endsWith(GZIP_EXT), size: st.size, recording }
  }

  async rename(id: string, name: string): Promise<RecordingInfo> {
    const info = await this.info(id)
    const meta = (await this.readMeta(id)) ?? { ...infoToMeta(info), fileMtimeMs: 0 }
    await writeJsonAtomic(this.metaPath(id), { ...meta, name })
    return this.info(id)
  }

  async delete(id: string): Promise<void> {
    if (this.writing.has(id)) throw new ApiError('RECORDING_BUSY', 'This recording is still being written: stop its recorder first.')
    const path = await this.path(id)
    await rm(path, { force: true })
    await rm(this.metaPath(id), { force: true })
  }

  /** Writes the sidecar from known stats (a recorder at stop, an import), stamped with the file's mtime. */
  async writeMeta(id: string, meta: Omit<Meta, 'fileMtimeMs'>): Promise<void> {
    const st = await stat(await this.path(id))
    await writeJsonAtomic(this.metaPath(id), { ...meta, fileMtimeMs: Math.floor(st.mtimeMs) })
  }

  /** Reads the whole file once (streamed) and stores what it found. */
  async rescan(id: string, path: string, name?: string): Promise<Meta> {
    const stats = await scanRecording(path)
    const meta: Omit<Meta, 'fileMtimeMs'> = { ...stats, name: name ?? stats.name }
    await this.writeMeta(id, meta)
    return { ...meta, fileMtimeMs: Math.floor((await stat(path)).mtimeMs) }
  }

  private metaPath(id: string): string {
    return join(this.dir, id + META_EXT)
  }

  private async readMeta(id: string): Promise<Meta | undefined> {
    // A missing or damaged sidecar reads as undefined: the caller rebuilds it from the file.
    const read = await readStoredFile<Meta, undefined>(this.metaPath(id), MetaSchema, {
      fallback: () => undefined,
      what: 'recording summary',
      shape: 'a recording summary',
      startsWith: 'rebuilt from the recording',
    })
    return read.value
  }
}

export type ScanStats = Omit<Meta, 'fileMtimeMs'>

/** Stats of one file, streamed: the numbers the library shows. */
export async function scanRecording(path: string): Promise<ScanStats> {
  const topics = new Set<string>()
  let messageCount = 0
  let gaps = 0
  let lastUs = 0
  let truncated = false
  let badLines = 0
  let header: import('./format').RecordingHeader | undefined
  for await (const item of readRecording(path, undefined, { onStats: (s) => ((truncated = s.truncated), (badLines = s.badLines)) })) {
    if (item.kind === 'header') header = item.header
    else if (item.kind === 'gap') {
      gaps++
      lastUs = Math.max(lastUs, item.gap.offsetUs)
    } else {
      messageCount++
      topics.add(item.message.topic)
      lastUs = Math.max(lastUs, item.message.offsetUs)
    }
  }
  if (!header) throw new ApiError('RECORDING_BAD_FILE', 'This file has no recording header: it is not a recording of this app.')
  const source: RecordingInfo['source'] = header.importedFrom === 'mosquitto_sub' || header.importedFrom === 'mqtt-recorder-rs' || header.importedFrom === 'export' ? header.importedFrom : 'recorded'
  return {
    name: header.name ?? `Recording ${header.startedAtIso}`,
    brokerUrl: header.broker.url,
    mqttVersion: header.broker.mqttVersion,
    startedAt: header.startedAt,
    durationMs: Math.round(lastUs / 1000),
    messageCount,
    topicCount: topics.size,
    gaps,
    source,
    truncated,
    badLines,
  }
}

function infoToMeta(info: RecordingInfo): ScanStats {
  const { id: _id, fileName: _f, gzip: _g, size: _s, recording: _r, ...rest } = info
  return rest
}

function idOf(fileName: string): string | null {
  for (const ext of [GZIP_EXT, PLAIN_EXT]) {
    if (fileName.endsWith(ext)) {
      const id = fileName.slice(0, -ext.length)
      return ID.test(id) ? id : null
    }
  }
  return null
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

function notFound(id: string): ApiError {
  return new ApiError('RECORDING_NOT_FOUND', `No recording ${JSON.stringify(id)} in the library: it may have been deleted.`)
}
