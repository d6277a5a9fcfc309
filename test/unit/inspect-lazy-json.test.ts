/**
 * Big JSON in the inspector: the validator counts how long the re-indented text will be, so a
 * document knows its total and serves its first page before (or without) re-indenting all of it,
 * and every page is the same as a page of the whole re-indented text.
 */
import { describe, expect, it } from 'vitest'
import { jsonBytesLayout, reindentJsonBytes, reindentJsonPrefix } from '../../electron/core/decode/json-text'
import { decodePayload, reindentedJsonLength } from '../../electron/core/decode/pipeline'
import { LazyJsonText } from '../../electron/core/inspect/lazy-json-text'
import { textPage } from '../../electron/core/inspect/pages'
import { decodeContext } from '../fixtures/decode-tools'

const SMALL = [
  '0', '"é ✓ 𐅑"', '[]', '[ ]', '{ }', '[[[]]]', '{"a":{"b":[1,{"c":null}]}}', ' \n\t[1 , 2 ] \r\n', '\ufeff{"k" : "v\\u00e9\\"", "e": {  }, "l": [ [ ], true]}',
]

/** About `bytes` of JSON: objects with non-ASCII strings (2-, 3- and 4-byte UTF-8), empty containers and odd spacing. */
function bigJson(bytes: number): Buffer {
  const parts: string[] = []
  let size = 2
  for (let i = 0; size < bytes; i++) {
    const item = `{ "id" :${i},"name":"sensor-${i} é ✓ 𐅑","v":[${i % 7}, {}, [ ],null],"ok":${i % 3 === 0}}`
    parts.push(item)
    size += item.length + 3
  }
  return Buffer.from(`\ufeff[\n${parts.join(' ,\n')}]`)
}

describe('big JSON paged before it is re-indented', () => {
  it.each(SMALL)('%j: the validator counts the re-indented length', (s) => {
    const b = Buffer.from(s)
    expect(jsonBytesLayout(b)).toBe(Buffer.byteLength(reindentJsonBytes(b)))
  })

  it.each(['[1,]', '{"a" 1}', '"a', '[1] x', ''])('%j is still refused by the validator', (s) => {
    expect(jsonBytesLayout(Buffer.from(s))).toBe(-1)
  })

  it('a prefix of the re-indent is the start of the whole, at least as long as asked', () => {
    const b = bigJson(200_000)
    const whole = reindentJsonBytes(b)
    const prefix = reindentJsonPrefix(b, 5000)
    expect(Buffer.byteLength(prefix)).toBeGreaterThanOrEqual(5000)
    expect(prefix.length).toBeLessThan(whole.length)
    expect(whole.startsWith(prefix)).toBe(true)
    expect(reindentJsonPrefix(b, 10 * b.length)).toBe(whole)
  })

  it('a 2 MB JSON document knows its total and pages exactly as the whole re-indented text', () => {
    const b = bigJson(2 * 1024 * 1024)
    const outcome = decodePayload(b, decodeContext())
    expect(outcome.result.kind).toBe('json-text')
    const whole = reindentJsonBytes(outcome.bytes)
    const total = reindentedJsonLength(outcome, { sortKeys: false })
    expect(total).toBe(whole.length)
    const lazy = new LazyJsonText(outcome.bytes, total!)
    for (const [offset, max] of [[0, 65536], [0, 7], [1, 100], [65535, 65536], [whole.length - 10, 65536], [whole.length, 10], [whole.length + 5, 10]]) {
      expect(lazy.page(offset, max)).toEqual(textPage(whole, offset, max))
    }
    expect(lazy.toString()).toBe(whole)
  })

  it('small JSON, and big JSON with sorted keys, are formatted as before', () => {
    expect(reindentedJsonLength(decodePayload(Buffer.from('{"a":1}'), decodeContext()), { sortKeys: false })).toBeNull()
    expect(reindentedJsonLength(decodePayload(bigJson(2 * 1024 * 1024), decodeContext()), { sortKeys: true })).toBeNull()
  })
})
