/**
 * Decoded documents the renderer pages through by `docId`: the raw payload, the bytes after the
 * decode's layers, and the decoded text. Bounded by count and by bytes (text counts two bytes
 * per character, as V8 may hold it); the least recently used document goes first. A document
 * bigger than the whole budget is still kept while it is the only one, so a 16 MB payload can
 * always be paged. The same message decoded the same way again gets the same document back.
 */
import { randomUUID } from 'node:crypto'
import type { DecodeOutcome } from '../decode/types'
import type { DocText } from './lazy-json-text'

export const MAX_DOCS = 64
export const MAX_DOC_BYTES = 256 * 1024 * 1024

export interface InspectDoc {
  readonly id: string
  /** What makes two decodes the same: message identity plus decoder, options and generations. */
  readonly key: string
  readonly connectionId: string
  /** The payload as stored (a view of the tree's bytes, not a copy). */
  readonly raw: Buffer
  /** The bytes after the layers (`raw` itself when there are none). */
  readonly decoded: Buffer
  /** The decoded text the inspector pages through; null for hex, image, numbers and empty views. */
  readonly text: DocText | null
  /** How the text was made (null with `text`). */
  readonly format: { language: 'json' | 'plaintext'; formatted: boolean } | null
  /** What the decode found; its `bytes` are `decoded`. */
  readonly outcome: DecodeOutcome
}

export class DocCache {
  /** In use order: the first entry is the least recently used. */
  private readonly docs = new Map<string, InspectDoc>()
  private readonly byKey = new Map<string, string>()
  private bytes = 0

  constructor(private readonly limits: { maxDocs: number; maxBytes: number } = { maxDocs: MAX_DOCS, maxBytes: MAX_DOC_BYTES }) {}

  get size(): number {
    return this.docs.size
  }

  /** Bytes the cached documents account for. */
  get usedBytes(): number {
    return this.bytes
  }

  /** The document, marked as just used; undefined when evicted, released or never made. */
  get(docId: string): InspectDoc | undefined {
    const doc = this.docs.get(docId)
    if (doc !== undefined) this.touch(doc)
    return doc
  }

  /** The document if it is still cached, without marking it used. */
  peek(docId: string): InspectDoc | undefined {
    return this.docs.get(docId)
  }

  /**
   * The cached document `docId` made again with new contents (a finished check changed what
   * it shows), under the same id and key; undefined when it is no longer cached.
   */
  replace(docId: string, fields: Pick<InspectDoc, 'decoded' | 'text' | 'format' | 'outcome'>): InspectDoc | undefined {
    const old = this.docs.get(docId)
    if (old === undefined) return undefined
    const doc: InspectDoc = { ...old, ...fields }
    this.docs.set(docId, doc)
    this.bytes += costOf(doc) - costOf(old)
    this.evict(docId)
    return doc
  }

  /** The document made for `key`, if it is still cached. */
  byKeyOf(key: string): InspectDoc | undefined {
    const id = this.byKey.get(key)
    return id === undefined ? undefined : this.get(id)
  }

  /** Caches a new document under a fresh id, evicting the least recently used beyond the limits. */
  add(fields: Omit<InspectDoc, 'id'>): InspectDoc {
    const previous = this.byKey.get(fields.key)
    if (previous !== undefined) this.release(previous)
    const doc: InspectDoc = { ...fields, id: randomUUID() }
    this.docs.set(doc.id, doc)
    this.byKey.set(doc.key, doc.id)
    this.bytes += costOf(doc)
    this.evict(doc.id)
    return doc
  }

  /** Drops a document; false when it was not cached. */
  release(docId: string): boolean {
    const doc = this.docs.get(docId)
    if (doc === undefined) return false
    this.docs.delete(docId)
    if (this.byKey.get(doc.key) === docId) this.byKey.delete(doc.key)
    this.bytes -= costOf(doc)
    return true
  }

  /** Drops every document of a connection (its profile was deleted). */
  dropConnection(connectionId: string): void {
    for (const doc of [...this.docs.values()]) if (doc.connectionId === connectionId) this.release(doc.id)
  }

  clear(): void {
    this.docs.clear()
    this.byKey.clear()
    this.bytes = 0
  }

  private touch(doc: InspectDoc): void {
    this.docs.delete(doc.id)
    this.docs.set(doc.id, doc)
  }

  private evict(keep: string): void {
    for (const doc of this.docs.values()) {
      if (this.docs.size <= this.limits.maxDocs && this.bytes <= this.limits.maxBytes) return
      if (doc.id !== keep) this.release(doc.id)
    }
  }
}

/** Bytes a document holds on to: both buffers (once when they are the same memory) and the text. */
export function costOf(doc: { raw: Buffer; decoded: Buffer; text: { length: number } | null }): number {
  const decoded = sameBytes(doc.raw, doc.decoded) ? 0 : doc.decoded.length
  return doc.raw.length + decoded + (doc.text === null ? 0 : doc.text.length * 2)
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length
}
