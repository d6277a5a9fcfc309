/**
 * The publish history: the last MAX_PUBLISH_HISTORY publishes (newest first), kept in
 * `<dataDir>/publish-history.json`. A body longer than HISTORY_BODY_CAP characters is not kept
 * (the entry says how many bytes it had), so the file stays small enough to rewrite on every
 * publish.
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { MAX_PUBLISH_HISTORY, Notice, OutgoingMessage, type PublishHistoryEntry, type PublishOutcome } from '../../api'
import { PersistedDocument } from './persisted-document'

export const HISTORY_FILE = 'publish-history.json'
/** Characters of body an entry keeps (256 KiB). */
export const HISTORY_BODY_CAP = 256 * 1024

const Ack = z.object({ reasonCode: z.number(), reasonName: z.string(), reasonString: z.string().optional(), accepted: z.boolean() })
const Outcome = z.object({
  topic: z.string(),
  bytes: z.number(),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  retain: z.boolean(),
  publishedAt: z.number(),
  ack: Ack.nullable(),
  warnings: z.array(z.string()),
  warningNotices: z.array(Notice).optional(),
})
const Entry = z.object({
  id: z.string(),
  profileId: z.string(),
  profileName: z.string(),
  message: OutgoingMessage,
  bodyDropped: z.object({ bytes: z.number() }).optional(),
  outcome: Outcome,
})
const HistoryFile = z.object({ version: z.literal(1), entries: z.array(Entry).max(MAX_PUBLISH_HISTORY * 2) })

export class PublishHistoryStore {
  private constructor(
    private entries: PublishHistoryEntry[],
    private readonly file: PersistedDocument<z.infer<typeof HistoryFile>>,
  ) {}

  static async open(dataDir: string): Promise<PublishHistoryStore> {
    const opened = await PersistedDocument.open(dataDir, HISTORY_FILE, HistoryFile, {
      what: 'publish history',
      term: 'publish-history',
      shape: 'a publish history file',
      fallback: () => ({ version: 1 as const, entries: [] }),
    })
    const file = opened.bind(() => ({ version: 1 as const, entries: store.entries }))
    const store = new PublishHistoryStore(opened.value.entries.slice(0, MAX_PUBLISH_HISTORY), file)
    return store
  }

  /** Load problems, for `app.info`. */
  get warnings(): readonly string[] {
    return this.file.warnings
  }

  /** The same warnings with their codes (same order). */
  get warningNotices(): readonly Notice[] {
    return this.file.warningNotices
  }

  /** Newest first (copies). */
  list(): PublishHistoryEntry[] {
    return structuredClone(this.entries)
  }

  /** Records one publish and saves; the oldest entries beyond the cap go. */
  async add(profileId: string, profileName: string, message: OutgoingMessage, outcome: PublishOutcome): Promise<PublishHistoryEntry> {
    const entry: PublishHistoryEntry = { id: randomUUID(), profileId, profileName, message: structuredClone(message), outcome: structuredClone(outcome) }
    if (message.payload.body.length > HISTORY_BODY_CAP) {
      entry.message.payload.body = ''
      entry.bodyDropped = { bytes: outcome.bytes }
    }
    this.entries.unshift(entry)
    if (this.entries.length > MAX_PUBLISH_HISTORY) this.entries.length = MAX_PUBLISH_HISTORY
    await this.file.save()
    return structuredClone(entry)
  }

  async clear(): Promise<void> {
    this.entries = []
    await this.file.save()
  }

  /** Drops a deleted profile's entries. */
  async dropProfile(profileId: string): Promise<void> {
    const kept = this.entries.filter((e) => e.profileId !== profileId)
    if (kept.length === this.entries.length) return
    this.entries = kept
    await this.file.save()
  }
}
