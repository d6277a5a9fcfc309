/**
 * Per-connection history of handshakes (time, version, cipher, leaf and key fingerprints),
 * kept in the data folder as one JSON file per profile. Each new record says what changed
 * since the previous one, so the UI can warn "the broker's certificate (or key) changed".
 */
import { join } from 'node:path'
import { z } from 'zod'
import type { HandshakeRecord, TlsSessionReport } from '../../api/tls'
import type { Notice } from '../../api/notices'
import { writeJsonAtomic } from '../storage/atomic-json'
import { SerialQueue } from '../storage/serial-queue'
import { readStoredFile, warningNotice } from '../storage/stored-file'

/** Records kept per profile; older ones are dropped. */
export const HISTORY_LIMIT = 200

/** A record from a finished handshake, before change detection. */
export function recordFromReport(report: TlsSessionReport): Omit<HandshakeRecord, 'change'> {
  const leaf = report.chain?.entries[0]
  return {
    time: report.time,
    protocol: report.protocol,
    cipher: report.cipher?.iana ?? null,
    leafSha256: leaf?.sha256 ?? null,
    spkiSha256: leaf?.spkiSha256 ?? null,
    leafSubject: leaf?.subject ?? null,
    leafValidTo: leaf?.validTo ?? null,
  }
}

/** What changed between the last known leaf and this one. A new key is reported over a new certificate. */
export function detectChange(previous: Pick<HandshakeRecord, 'leafSha256' | 'spkiSha256'> | undefined, next: Pick<HandshakeRecord, 'leafSha256' | 'spkiSha256'>): HandshakeRecord['change'] {
  if (!previous) return 'first'
  if (!next.leafSha256 || !previous.leafSha256) return 'none'
  if (previous.spkiSha256 && next.spkiSha256 && previous.spkiSha256 !== next.spkiSha256) return 'key'
  return previous.leafSha256 === next.leafSha256 ? 'none' : 'certificate'
}

const StoredRecord = z.object({
  time: z.number(),
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  leafSha256: z.string().nullable(),
  spkiSha256: z.string().nullable(),
  leafSubject: z.string().nullable(),
  leafValidTo: z.string().nullable(),
  change: z.enum(['none', 'first', 'certificate', 'key']),
}) satisfies z.ZodType<HandshakeRecord>

/** `tls-history/<profileId>.json`. */
const HistoryFile = z.object({ version: z.literal(1), records: z.array(StoredRecord) })
type HistoryFile = z.infer<typeof HistoryFile>

export class HandshakeHistory {
  private readonly queues = new Map<string, SerialQueue>()
  private readonly cache = new Map<string, HandshakeRecord[]>()
  private readonly reading = new Map<string, Promise<HandshakeRecord[]>>()
  /** Problems found while reading history files (shown like other storage warnings); files are read on first use. */
  readonly warnings: string[] = []
  /** The same problems with their codes, for translation (same order). */
  readonly warningNotices: Notice[] = []

  /** `dataDir` is the app's data folder; files go to `<dataDir>/tls-history/<profileId>.json`. */
  constructor(private readonly dataDir: string) {}

  /** Appends a record for a finished handshake (failed ones without a chain are skipped) and returns it. */
  async add(profileId: string, report: TlsSessionReport): Promise<HandshakeRecord | null> {
    const base = recordFromReport(report)
    if (!base.leafSha256) return null
    return this.queue(profileId).run(async () => {
      const records = await this.load(profileId)
      // Compare with the last record that saw a certificate: failures in between do not reset it.
      const previous = [...records].reverse().find((r) => r.leafSha256)
      const record: HandshakeRecord = { ...base, change: detectChange(previous, base) }
      const next = [...records, record].slice(-HISTORY_LIMIT)
      this.cache.set(profileId, next)
      await writeJsonAtomic(this.file(profileId), { version: 1, records: next } satisfies HistoryFile)
      return record
    })
  }

  /** Newest first. */
  async list(profileId: string, limit = 50): Promise<HandshakeRecord[]> {
    return (await this.load(profileId)).slice(-limit).reverse()
  }

  async clear(profileId: string): Promise<void> {
    await this.queue(profileId).run(async () => {
      this.cache.set(profileId, [])
      await writeJsonAtomic(this.file(profileId), { version: 1, records: [] } satisfies HistoryFile)
    })
  }

  private async load(profileId: string): Promise<HandshakeRecord[]> {
    const cached = this.cache.get(profileId)
    if (cached) return cached
    // One read per file, even when a list and a handshake ask at once: two readers of a damaged
    // file would both try to move it aside, and the second would report a failure that is none.
    let pending = this.reading.get(profileId)
    if (!pending) {
      pending = this.read(profileId).finally(() => this.reading.delete(profileId))
      this.reading.set(profileId, pending)
    }
    return pending
  }

  private async read(profileId: string): Promise<HandshakeRecord[]> {
    const read = await readStoredFile(this.file(profileId), HistoryFile, {
      fallback: (): HistoryFile => ({ version: 1, records: [] }),
      what: 'handshake history of a connection',
      shape: 'a handshake history file',
      startsWith: 'a new history for it',
      term: 'handshake-history',
    })
    if (read.problem) {
      const said = warningNotice(read.problem)
      this.warnings.push(said.message)
      this.warningNotices.push(said)
    }
    this.cache.set(profileId, read.value.records)
    return read.value.records
  }

  private file(profileId: string): string {
    // Profile ids are ours (uuid-like), but never let one escape the folder.
    return join(this.dataDir, 'tls-history', `${profileId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`)
  }

  /** Resolves once every record queued so far is written (shutdown waits for it). */
  async flush(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.idle()))
  }

  private queue(profileId: string): SerialQueue {
    let q = this.queues.get(profileId)
    if (!q) this.queues.set(profileId, (q = new SerialQueue()))
    return q
  }
}
