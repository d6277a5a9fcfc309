/**
 * Reads a recording file line by line, streamed (never whole), gzip or not. Offsets are bytes of
 * the uncompressed text, so an index built from them can start a plain file's read anywhere; a
 * gzip file is always inflated from its start (gzip has no seek points).
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'

export interface FileLine {
  text: string
  /** Byte offset of the line's first byte (uncompressed). */
  offset: number
  /** The file ended without a newline after this line (a crash may have cut it). */
  last: boolean
}

const NEWLINE = 0x0a

/** True when the file starts with gzip's magic bytes. */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(2)
    const { bytesRead } = await handle.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b
  } finally {
    await handle.close()
  }
}

export interface ReadLinesOptions {
  /** Start at this uncompressed byte offset (plain files seek; gzip inflates and skips). */
  start?: number
  gzip?: boolean
  /** Stops early when it returns false. */
  signal?: AbortSignal
}

/**
 * Yields every line (without its newline; a trailing '\r' is dropped). Empty lines are skipped.
 * A gzip file cut mid-stream (a crash) yields what inflated before the cut, then ends.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<FileLine> {
  for await (const batch of readLineBatches(path, options)) yield* batch
}

/** Lines per batch of {@link readLineBatches}: a batch is parsed in one go, so it stays small. */
export const LINE_BATCH = 128

/**
 * {@link readLines} in batches of up to {@link LINE_BATCH} lines: one promise per batch instead
 * of one per line, for readers that go through millions of lines (replay as fast as possible).
 */
export async function* readLineBatches(path: string, options: ReadLinesOptions = {}): AsyncGenerator<FileLine[]> {
  for await (const spans of readLineSpans(path, options)) {
    const batch: FileLine[] = new Array(spans.count)
    for (let i = 0; i < spans.count; i++) {
      batch[i] = { text: spans.buffers[i].toString('utf8', spans.starts[i], spans.ends[i]), offset: spans.offsets[i], last: spans.cut && i === spans.count - 1 }
    }
    yield batch
  }
}

/**
 * Up to {@link LINE_BATCH} lines as byte ranges of the buffers they were read into, so a parser
 * can read them without a string per line. Line i is `buffers[i][starts[i], ends[i])` (no newline,
 * no trailing '\r', never empty), at file offset `offsets[i]`. The buffers are the read's own:
 * a plain file is read into one buffer used again for the next read, so the bytes are valid only
 * until the next batch is asked for; take copies of what must outlive the batch.
 */
export interface LineSpans {
  count: number
  buffers: Buffer[]
  starts: number[]
  ends: number[]
  offsets: number[]
  /** The batch's last line ended the file without a newline (a crash may have cut it). */
  cut: boolean
}

function newSpans(): LineSpans {
  return { count: 0, buffers: [], starts: [], ends: [], offsets: [], cut: false }
}

function pushSpan(spans: LineSpans, buffer: Buffer, start: number, end: number, offset: number): void {
  if (end > start && buffer[end - 1] === 0x0d) end--
  if (end <= start) return
  spans.buffers.push(buffer)
  spans.starts.push(start)
  spans.ends.push(end)
  spans.offsets.push(offset)
  spans.count++
}

/** The one reader behind {@link readLines} and {@link readLineBatches}: lines as byte ranges. */
export async function* readLineSpans(path: string, options: ReadLinesOptions = {}): AsyncGenerator<LineSpans> {
  const gzip = options.gzip ?? (await isGzipFile(path))
  if (gzip) yield* readGzipSpans(path, options)
  else yield* readPlainSpans(path, options)
}

/** Bytes a plain file is read in at a time (a longer line grows the buffer while it is read). */
const READ_BYTES = 1 << 20

/**
 * A plain file, read with positional reads into one buffer that every read fills again: a
 * stream would hand over a new 1 MB chunk per read, ~1,000 of them for a 1 GB file, each freed
 * only when the GC gets to it, and freeing them raises glibc's mmap threshold, after which the
 * tree's 256 KB slabs come from the fragmenting heap instead of their own mappings (open-recording
 * peaked ~25 MB higher for that alone). The unfinished line at a read's end moves to the buffer's
 * start; a line longer than the buffer doubles it, and it shrinks back once that line is done.
 */
async function* readPlainSpans(path: string, options: ReadLinesOptions): AsyncGenerator<LineSpans> {
  const handle = await open(path, 'r')
  let buffer = Buffer.allocUnsafeSlow(READ_BYTES)
  /** buffer[0, held) is the start of a line not finished yet, at file offset `heldOffset`. */
  let held = 0
  let heldOffset = options.start ?? 0
  let position = heldOffset
  try {
    for (;;) {
      if (options.signal?.aborted) return
      if (held === buffer.length) {
        const bigger = Buffer.allocUnsafeSlow(buffer.length * 2)
        buffer.copy(bigger, 0, 0, held)
        buffer = bigger
      }
      const { bytesRead } = await handle.read(buffer, held, buffer.length - held, position)
      if (bytesRead === 0) break
      position += bytesRead
      const filled = buffer.subarray(0, held + bytesRead)
      // The held bytes have no newline: search only what this read added.
      let nl = filled.indexOf(NEWLINE, held)
      let from = 0
      let batch = newSpans()
      while (nl !== -1) {
        pushSpan(batch, filled, from, nl, heldOffset + from)
        if (batch.count >= LINE_BATCH) {
          yield batch
          batch = newSpans()
          if (options.signal?.aborted) return
        }
        from = nl + 1
        nl = filled.indexOf(NEWLINE, from)
      }
      if (batch.count > 0) yield batch
      held = filled.length - from
      heldOffset += from
      if (buffer.length > READ_BYTES && held <= READ_BYTES / 2) {
        const smaller = Buffer.allocUnsafeSlow(READ_BYTES)
        buffer.copy(smaller, 0, from, filled.length)
        buffer = smaller
      } else if (held > 0 && from > 0) buffer.copyWithin(0, from, filled.length)
    }
  } finally {
    await handle.close()
  }
  if (held > 0) {
    const last = newSpans()
    pushSpan(last, buffer, 0, held, heldOffset)
    last.cut = true
    if (last.count > 0) yield last
  }
}

/** A gzip file through zlib's stream (inflated from the start; `start` skips inflated bytes). */
async function* readGzipSpans(path: string, options: ReadLinesOptions): AsyncGenerator<LineSpans> {
  const start = options.start ?? 0
  const raw = createReadStream(path)
  const source = raw.pipe(createGunzip({ finishFlush: 2 /* Z_SYNC_FLUSH: a cut stream still yields its bytes */ }))
  let position = 0
  let skip = start
  let carry: Buffer | null = null
  let carryOffset = position
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (options.signal?.aborted) return
      let buf = chunk
      if (skip > 0) {
        if (buf.length <= skip) {
          skip -= buf.length
          position += buf.length
          continue
        }
        buf = buf.subarray(skip)
        position += skip
        skip = 0
        carryOffset = position
      }
      let from = 0
      let nl = buf.indexOf(NEWLINE, from)
      let batch = newSpans()
      while (nl !== -1) {
        if (carry) {
          const joined = Buffer.concat([carry, buf.subarray(from, nl)])
          pushSpan(batch, joined, 0, joined.length, carryOffset)
          carry = null
        } else {
          pushSpan(batch, buf, from, nl, position + from)
        }
        if (batch.count >= LINE_BATCH) {
          yield batch
          batch = newSpans()
          if (options.signal?.aborted) return
        }
        from = nl + 1
        nl = buf.indexOf(NEWLINE, from)
      }
      if (batch.count > 0) yield batch
      if (from < buf.length) {
        if (!carry) carryOffset = position + from
        carry = carry ? Buffer.concat([carry, buf.subarray(from)]) : Buffer.from(buf.subarray(from))
      }
      position += buf.length
    }
  } catch (err) {
    // A gzip stream cut by a crash ends with "unexpected end of file": keep what came before.
    if (!isTruncatedGzip(err)) throw err
  } finally {
    raw.destroy()
  }
  if (carry && carry.length > 0) {
    const last = newSpans()
    pushSpan(last, carry, 0, carry.length, carryOffset)
    last.cut = true
    if (last.count > 0) yield last
  }
}

function isTruncatedGzip(err: unknown): boolean {
  const code = (err as { code?: string }).code
  return code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end/i.test(String((err as Error).message))
}
