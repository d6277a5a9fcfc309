import { describe, expect, it } from 'vitest'
import { isJsonBytes, reindentJsonBytes } from '../../electron/core/decode/json-text'
import { decodePayload, formatDecoded } from '../../electron/core/decode/pipeline'
import { decodeContext } from '../fixtures/decode-tools'

const parses = (s: string) => {
  try {
    JSON.parse(s)
    return true
  } catch {
    return false
  }
}

const CASES = [
  '0', '-0', '01', '1.', '.5', '-', '1e', '1e+', '1E-7', '-12.5e3', '+1', 'true', 'tru', 'nul', 'null ', 'false',
  '""', '"a', '"\\u12"', '"\\u00e9"', '"\\/"', '"\\x"', '"tab\there"', '"é ✓ 𐅑"',
  '[]', '[ ]', '[1,]', '[,1]', '[1 2]', '[[[]]]', '[[]', ']', '{}', '{ }', '{"a" 1}', '{"a":1,}', '{"a":1', '{1:2}', '{"a":{"b":[1,{"c":null}]}}',
  ' \n\t[1] \r\n', '[1] x', '1 2', '',
]

describe('JSON checked and re-indented as bytes', () => {
  it.each(CASES)('%j is JSON exactly when JSON.parse accepts it', (s) => {
    expect(isJsonBytes(Buffer.from(s))).toBe(parses(s))
  })

  it.each(CASES.filter(parses))('%j re-indented still reads as the same value', (s) => {
    expect(JSON.parse(reindentJsonBytes(Buffer.from(s)))).toEqual(JSON.parse(s))
  })

  it('lays JSON out as JSON.stringify(value, null, 2) does, numbers and escapes kept as sent', () => {
    const canonical = '{"a":{"b":[1,{"c":null}],"e":{},"f":[]},"g":"x"}'
    expect(reindentJsonBytes(Buffer.from(canonical))).toBe(JSON.stringify(JSON.parse(canonical), null, 2))
    expect(reindentJsonBytes(Buffer.from(' [ -0 , 1E-7,"\\u00e9\\/"] '))).toBe('[\n  -0,\n  1E-7,\n  "\\u00e9\\/"\n]')
  })

  it('opens a 16 MB JSON payload as text and formats it without parsing it', () => {
    const rows: string[] = []
    let size = 2
    for (let i = 0; size < 16 * 1024 * 1024; i++) {
      const row = `{"id":${i},"name":"sensor-${i}","v":${i / 2},"tags":["a","b"],"ok":true}`
      rows.push(row)
      size += row.length + 1
    }
    const bytes = Buffer.from(`[${rows.join(',')}]`)
    const out = decodePayload(bytes, decodeContext())
    expect([out.detected, out.result.kind]).toEqual(['json', 'json-text'])
    const text = formatDecoded(out, { sortKeys: true })
    expect(text?.formatted).toBe(true)
    expect(text?.sorted).toBe(false)
    expect(text?.text.startsWith('[\n  {\n    "id": 0,\n    "name": "sensor-0",\n    "v": 0,\n    "tags": [\n      "a",')).toBe(true)
    expect(text?.text.endsWith(`"ok": true\n  }\n]`)).toBe(true)
  })
})
