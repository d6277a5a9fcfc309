/**
 * JSON Pointer against RFC 6901's own examples (§5, the document and every pointer listed there),
 * plus the malformed pointers the RFC rules out and the round trip the renderer relies on when a
 * user clicks a number.
 */
import { describe, expect, it } from 'vitest'
import { evaluateJsonPointer, formatJsonPointer, parseJsonPointer } from '../../electron/api'

// RFC 6901 §5, verbatim.
const RFC_DOCUMENT = JSON.parse(`{
  "foo": ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\\\j": 5,
  "k\\"l": 6,
  " ": 7,
  "m~n": 8
}`)

const at = (pointer: string) => {
  const tokens = parseJsonPointer(pointer)
  if (tokens === null) throw new Error(`${pointer} did not parse`)
  return evaluateJsonPointer(RFC_DOCUMENT, tokens)
}

describe('JSON Pointer (RFC 6901)', () => {
  it('evaluates every example of §5 to the value the RFC gives', () => {
    expect(at('')).toEqual(RFC_DOCUMENT)
    expect(at('/foo')).toEqual(['bar', 'baz'])
    expect(at('/foo/0')).toBe('bar')
    expect(at('/')).toBe(0)
    expect(at('/a~1b')).toBe(1)
    expect(at('/c%d')).toBe(2)
    expect(at('/e^f')).toBe(3)
    expect(at('/g|h')).toBe(4)
    expect(at('/i\\j')).toBe(5)
    expect(at('/k"l')).toBe(6)
    expect(at('/ ')).toBe(7)
    expect(at('/m~0n')).toBe(8)
  })

  it('unescapes ~1 before ~0, so ~01 is the key "~1"', () => {
    expect(parseJsonPointer('/~01')).toEqual(['~1'])
    expect(evaluateJsonPointer({ '~1': 9, '/': 10 }, parseJsonPointer('/~01')!)).toBe(9)
  })

  it('addresses keys with dots as one key', () => {
    expect(evaluateJsonPointer({ 'sensor.temp': { v: 21.5 } }, parseJsonPointer('/sensor.temp/v')!)).toBe(21.5)
  })

  it('refuses pointers that do not start with / and ~ not followed by 0 or 1', () => {
    expect(parseJsonPointer('foo')).toBeNull()
    expect(parseJsonPointer('/a~2b')).toBeNull()
    expect(parseJsonPointer('/a~')).toBeNull()
  })

  it('finds nothing past an array, at -, at leading-zero indexes, in scalars, or in inherited keys', () => {
    const doc = { list: [1, 2], n: 5 }
    expect(evaluateJsonPointer(doc, ['list', '2'])).toBeUndefined()
    expect(evaluateJsonPointer(doc, ['list', '-'])).toBeUndefined()
    expect(evaluateJsonPointer(doc, ['list', '01'])).toBeUndefined()
    expect(evaluateJsonPointer(doc, ['n', 'x'])).toBeUndefined()
    expect(evaluateJsonPointer(doc, ['constructor'])).toBeUndefined()
    expect(evaluateJsonPointer(doc, ['missing'])).toBeUndefined()
  })

  it('formats a path so that parsing it gives the same keys back', () => {
    const path = ['a/b', 'm~n', 0, 'x.y', '']
    const pointer = formatJsonPointer(path)
    expect(pointer).toBe('/a~1b/m~0n/0/x.y/')
    expect(parseJsonPointer(pointer)).toEqual(path.map(String))
  })
})
