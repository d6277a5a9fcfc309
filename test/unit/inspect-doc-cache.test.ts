/**
 * The inspector's document cache and pages: bounded by count and bytes (text at two bytes a
 * character), least recently used first out, one document per decode key, a document bigger
 * than the budget still kept alone; text pages never split a surrogate pair.
 */
import { describe, expect, it } from 'vitest'
import { costOf, DocCache, type InspectDoc } from '../../electron/core/inspect/doc-cache'
import { bytesPage, textPage } from '../../electron/core/inspect/pages'

function doc(key: string, rawBytes: number, text: string | null = null, connectionId = 'c1'): Omit<InspectDoc, 'id'> {
  const raw = Buffer.alloc(rawBytes)
  return { key, connectionId, raw, decoded: raw, text, format: text === null ? null : { language: 'plaintext', formatted: true }, outcome: { detected: 'hex', reason: 'test', reasonCode: 'binary', layers: [], candidates: ['hex'], error: null, errorCode: null, bytes: raw, result: { kind: 'hex' } } }
}

describe('DocCache', () => {
  it('evicts the least recently used document beyond its count', () => {
    const cache = new DocCache({ maxDocs: 2, maxBytes: 1e9 })
    const a = cache.add(doc('a', 1))
    const b = cache.add(doc('b', 1))
    expect(cache.get(a.id)).toBe(a) // a is now the most recently used
    const c = cache.add(doc('c', 1))
    expect(cache.get(b.id)).toBeUndefined()
    expect(cache.get(a.id)).toBe(a)
    expect(cache.get(c.id)).toBe(c)
    expect(cache.size).toBe(2)
  })

  it('evicts by bytes, counting text at two bytes a character and shared buffers once', () => {
    expect(costOf(doc('x', 100, 'abc'))).toBe(106)
    const raw = Buffer.alloc(10)
    expect(costOf({ raw, decoded: Buffer.alloc(40), text: null })).toBe(50)
    const cache = new DocCache({ maxDocs: 100, maxBytes: 1000 })
    const a = cache.add(doc('a', 400))
    cache.add(doc('b', 100, 'x'.repeat(200))) // 500
    expect(cache.usedBytes).toBe(900)
    cache.add(doc('c', 200))
    expect(cache.get(a.id)).toBeUndefined()
    expect(cache.usedBytes).toBe(700)
  })

  it('keeps a document bigger than the whole budget while it is the newest', () => {
    const cache = new DocCache({ maxDocs: 10, maxBytes: 100 })
    const small = cache.add(doc('small', 10))
    const huge = cache.add(doc('huge', 1000))
    expect(cache.get(huge.id)).toBe(huge)
    expect(cache.get(small.id)).toBeUndefined()
  })

  it('finds a document by its key and replaces it when the same key is added again', () => {
    const cache = new DocCache()
    const first = cache.add(doc('k', 5))
    expect(cache.byKeyOf('k')).toBe(first)
    const second = cache.add(doc('k', 5))
    expect(cache.get(first.id)).toBeUndefined()
    expect(cache.byKeyOf('k')).toBe(second)
    expect(cache.usedBytes).toBe(5)
  })

  it('releases one document, or all of a connection', () => {
    const cache = new DocCache()
    const a = cache.add(doc('a', 1, null, 'c1'))
    const b = cache.add(doc('b', 1, null, 'c2'))
    const c = cache.add(doc('c', 1, null, 'c1'))
    expect(cache.release(a.id)).toBe(true)
    expect(cache.release(a.id)).toBe(false)
    cache.dropConnection('c1')
    expect(cache.get(c.id)).toBeUndefined()
    expect(cache.get(b.id)).toBe(b)
    expect(cache.byKeyOf('c')).toBeUndefined()
  })
})

describe('pages', () => {
  it('pages text by character offset and says where the next page starts', () => {
    expect(textPage('abcdef', 0, 4)).toEqual({ offset: 0, text: 'abcd', nextOffset: 4 })
    expect(textPage('abcdef', 4, 4)).toEqual({ offset: 4, text: 'ef', nextOffset: null })
    expect(textPage('abcdef', 10, 4)).toEqual({ offset: 6, text: '', nextOffset: null })
    expect(textPage('', 0, 4)).toEqual({ offset: 0, text: '', nextOffset: null })
  })

  it('never ends a page inside a surrogate pair, and always moves forward', () => {
    const text = 'a😀b😀'
    const p1 = textPage(text, 0, 2)
    expect(p1).toEqual({ offset: 0, text: 'a', nextOffset: 1 })
    const p2 = textPage(text, 1, 1)
    expect(p2).toEqual({ offset: 1, text: '😀', nextOffset: 3 })
    // Paging with any size gives the text back whole, pair by pair.
    for (const size of [1, 2, 3, 5]) {
      let out = ''
      for (let offset: number | null = 0; offset !== null;) {
        const page: ReturnType<typeof textPage> = textPage(text, offset, size)
        out += page.text
        offset = page.nextOffset
      }
      expect(out).toBe(text)
    }
  })

  it('pages bytes as base64, empty past the end', () => {
    const bytes = Buffer.from([1, 2, 3, 4, 5])
    expect(bytesPage(bytes, 1, 2)).toEqual({ offset: 1, base64: Buffer.from([2, 3]).toString('base64'), totalBytes: 5 })
    expect(bytesPage(bytes, 4, 100).base64).toBe(Buffer.from([5]).toString('base64'))
    expect(bytesPage(bytes, 9, 1)).toEqual({ offset: 5, base64: '', totalBytes: 5 })
  })
})
