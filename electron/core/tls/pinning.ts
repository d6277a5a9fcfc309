/**
 * Certificate pinning per connection: a pin on the leaf certificate (breaks on every renewal)
 * or on its public key (survives renewals that keep the key). A presented certificate that
 * does not match blocks the connection with TLS_PIN_MISMATCH, carrying both fingerprints for a
 * side-by-side comparison; "trust the new one" replaces the pin.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { ApiError } from '../../api/errors'
import type { ChainEntry, Pin, PinKind, PinMismatchDetail } from '../../api/tls'
import type { Notice } from '../../api/notices'
import { writeJsonAtomic } from '../storage/atomic-json'
import { SerialQueue } from '../storage/serial-queue'
import { readStoredFile, warningNotice } from '../storage/stored-file'

/** The leaf facts a pin is checked against. */
export type PresentedLeaf = Pick<ChainEntry, 'sha256' | 'spkiSha256' | 'subject' | 'issuer' | 'validTo'>

/** Null when the leaf matches the pin (or there is none), else the comparison for the UI. */
export function checkPin(pin: Pin | null | undefined, leaf: PresentedLeaf): PinMismatchDetail | null {
  if (!pin) return null
  const presented = pin.kind === 'leaf' ? leaf.sha256 : leaf.spkiSha256
  if (sameFingerprint(presented, pin.sha256)) return null
  return { pin, presented: { leafSha256: leaf.sha256, spkiSha256: leaf.spkiSha256, subject: leaf.subject, issuer: leaf.issuer, validTo: leaf.validTo } }
}

/** The error that blocks a connection whose broker no longer matches its pin. */
export function pinMismatchError(detail: PinMismatchDetail): ApiError {
  const what = detail.pin.kind === 'leaf' ? 'certificate' : 'public key'
  return new ApiError(
    'TLS_PIN_MISMATCH',
    `The broker presented a different ${what} than the one pinned for this connection — compare the fingerprints and trust the new one only if you expected the change.`,
    detail as unknown as Record<string, unknown>,
  )
}

/** A pin for the given leaf. */
export function makePin(kind: PinKind, leaf: PresentedLeaf, now = Date.now()): Pin {
  return { kind, sha256: kind === 'leaf' ? leaf.sha256 : leaf.spkiSha256, pinnedAt: now, subject: leaf.subject }
}

/** A SHA-256 fingerprint in the one form pins are stored and compared in: upper-case hex pairs joined by ':'. */
export function normalizeFingerprint(sha256: string): string {
  return (sha256.replace(/:/g, '').toUpperCase().match(/../g) ?? []).join(':')
}

function sameFingerprint(a: string, b: string): boolean {
  return normalizeFingerprint(a) === normalizeFingerprint(b)
}

/** One stored pin: every field a pin check reads, so a damaged entry can never reach {@link checkPin}. */
const StoredPin = z.object({
  kind: z.enum(['leaf', 'spki']),
  sha256: z.string().min(1),
  pinnedAt: z.number(),
  subject: z.string(),
}) satisfies z.ZodType<Pin>

/** `tls-pins.json`: profile id → pin. */
const PinFile = z.object({ version: z.literal(1), pins: z.record(z.string(), StoredPin) })
type PinFile = z.infer<typeof PinFile>

/** Pins of all profiles in one JSON file in the data folder (`tls-pins.json`). */
export class PinStore {
  private readonly queue = new SerialQueue()

  private constructor(
    private readonly path: string,
    private data: PinFile,
    /** Problems found while reading the file (shown like other storage warnings). */
    readonly warnings: string[],
    /** The same problems with their codes, for translation (same order). */
    readonly warningNotices: Notice[],
  ) {}

  /** Loads `tls-pins.json`; a damaged one is moved aside and reported, and no profile is pinned. */
  static async open(dataDir: string): Promise<PinStore> {
    const path = join(dataDir, 'tls-pins.json')
    const read = await readStoredFile(path, PinFile, {
      fallback: (): PinFile => ({ version: 1, pins: {} }),
      what: 'certificate pins',
      shape: 'a pin file',
      startsWith: 'with no connection pinned (pin them again in the TLS inspector)',
      term: 'pins',
    })
    const notices = read.problem ? [warningNotice(read.problem)] : []
    return new PinStore(path, read.value, notices.map((n) => n.message), notices)
  }

  get(profileId: string): Pin | null {
    return this.data.pins[profileId] ?? null
  }

  /** Pins the profile to `pin` (also how "trust the new one" works: pin what was presented). */
  async set(profileId: string, pin: Pin): Promise<Pin> {
    this.data = { ...this.data, pins: { ...this.data.pins, [profileId]: pin } }
    await this.save()
    return pin
  }

  /** "Trust the new one": re-pins with the same kind to the certificate from a mismatch. */
  async trustPresented(profileId: string, detail: PinMismatchDetail, now = Date.now()): Promise<Pin> {
    const sha256 = detail.pin.kind === 'leaf' ? detail.presented.leafSha256 : detail.presented.spkiSha256
    return this.set(profileId, { kind: detail.pin.kind, sha256, pinnedAt: now, subject: detail.presented.subject })
  }

  async remove(profileId: string): Promise<void> {
    if (!(profileId in this.data.pins)) return
    const pins = { ...this.data.pins }
    delete pins[profileId]
    this.data = { ...this.data, pins }
    await this.save()
  }

  private save(): Promise<void> {
    const snapshot = this.data
    return this.queue.run(() => writeJsonAtomic(this.path, snapshot))
  }
}
