/**
 * Reads one recording, streamed, with an optional selection (a time window and topic filters):
 * the one way replay, offline and export read a file, so they agree on what a selection means.
 * The header always comes first (also when the selection would exclude everything); gaps inside
 * the window are yielded whatever the filters, because a filter selects topics, not time.
 */
import { filterMatches } from '../connections/topic-filter'
import type { RecordedGap, RecordedMessage, RecordingHeader } from './format'
import { parseLineBytes } from './line-bytes'
import { readLineSpans } from './line-reader'
import { PayloadScratch } from './payload-scratch'

export interface SourceSelection {
  fromUs?: number
  toUs?: number
  filters?: string[]
}

export type RecordingItem =
  | { kind: 'header'; header: RecordingHeader }
  | { kind: 'message'; message: RecordedMessage }
  | { kind: 'gap'; gap: RecordedGap }

/** What a read found besides its items: handed to `onStats` once the file has been read. */
export interface SourceReadStats {
  /** The last line was cut without its newline and did not parse (a crash mid-write). */
  truncated: boolean
  /** Lines that did not parse (other than a cut last line). */
  badLines: number
}

export interface ReadRecordingOptions {
  signal?: AbortSignal
  onStats?: (stats: SourceReadStats) => void
  /**
   * Small payloads are decoded into one buffer filled again for each batch of lines
   * (payload-scratch.ts): a message's payload is then valid only until the reader asks for the
   * item after its batch. For readers that use each message at once and copy what they keep.
   */
  transientPayloads?: boolean
}

export function selectionMatches(selection: SourceSelection | undefined, offsetUs: number, topic: string | null): boolean {
  if (!selection) return true
  if (selection.fromUs !== undefined && offsetUs < selection.fromUs) return false
  if (selection.toUs !== undefined && offsetUs > selection.toUs) return false
  if (topic === null || !selection.filters || selection.filters.length === 0) return true
  return selection.filters.some((f) => filterMatches(f, topic))
}

export async function* readRecording(
  path: string,
  selection?: SourceSelection,
  options: ReadRecordingOptions = {},
): AsyncGenerator<RecordingItem> {
  for await (const batch of readRecordingBatches(path, selection, options)) yield* batch
}

/**
 * {@link readRecording} in batches (a few hundred lines of the file each): the same items in the
 * same order, one promise per batch instead of one per item, for replay as fast as possible.
 */
export async function* readRecordingBatches(
  path: string,
  selection?: SourceSelection,
  options: ReadRecordingOptions = {},
): AsyncGenerator<RecordingItem[]> {
  let badLines = 0
  let truncated = false
  let sawHeader = false
  let ended = false
  const scratch = options.transientPayloads ? new PayloadScratch() : undefined
  for await (const lines of readLineSpans(path, { signal: options.signal })) {
    // The items of the batch before were all taken: their payloads' room is free again.
    scratch?.reset()
    const batch: RecordingItem[] = []
    for (let i = 0; i < lines.count; i++) {
      // Parsed from the read's bytes: no string per line (line-bytes.ts), the payload copied out.
      const parsed = parseLineBytes(lines.buffers[i], lines.starts[i], lines.ends[i], scratch)
      if (parsed.kind === 'bad') {
        if (lines.cut && i === lines.count - 1) truncated = true
        else badLines++
        continue
      }
      if (parsed.kind === 'header') {
        // Only the first header counts; a second one (two files concatenated) is not a message.
        if (!sawHeader) {
          sawHeader = true
          batch.push(parsed)
        }
        continue
      }
      if (parsed.kind === 'gap') {
        if (selectionMatches(selection, parsed.gap.offsetUs, null)) batch.push(parsed)
        continue
      }
      const m = parsed.message
      if (selection?.toUs !== undefined && m.offsetUs > selection.toUs) {
        // Offsets only grow within a file: nothing after this can be in the window.
        ended = true
        break
      }
      if (selectionMatches(selection, m.offsetUs, m.topic)) batch.push(parsed)
    }
    if (batch.length > 0) yield batch
    if (ended) break
  }
  options.onStats?.({ truncated, badLines })
}
