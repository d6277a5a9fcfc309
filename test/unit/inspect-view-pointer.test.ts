/**
 * The pointer-at-offset scanner behind "Chart <pointer>": a click in the decoded JSON names the
 * value under it by JSON Pointer (RFC 6901). Checked against documents JSON.stringify wrote, and
 * against the pointer's own meaning: resolving it in JSON.parse's tree gives the clicked number.
 */
import { describe, expect, it } from 'vitest'
import { escapePointerToken, isBareNumber, pointerOf, replacementOffsets, valueAtOffset } from '../../renderer/src/lib/inspect/json-pointer'

/** Resolves an RFC 6901 pointer in a parsed document. */
function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (node as Record<string, unknown>)[token], doc)
}

/** The offset of the `n`th occurrence of `needle` in `text`. */
function at(text: string, needle: string, n = 0): number {
  let i = -1
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1)
  if (i < 0) throw new Error(`${needle} not in text`)
  return i
}

describe('valueAtOffset', () => {
  const doc = { a: { b: [101, 202, { c: 30.5 }] }, list: [[7, 2], [303, -4e2]], flag: true, none: null, s: 'x' }
  const pretty = JSON.stringify(doc, null, 2)
  const compact = JSON.stringify(doc)

  it.each([['pretty', pretty], ['compact', compact]])('names numbers in nested objects and arrays (%s)', (_name, text) => {
    for (const [pointer, value] of [
      ['/a/b/0', 101],
      ['/a/b/1', 202],
      ['/a/b/2/c', 30.5],
      ['/list/1/0', 303],
      ['/list/1/1', -400],
      ['/list/0/0', 7],
    ] as const) {
      const start = at(text, String(value))
      // The first and the last character of the number both name it.
      for (const offset of [start, start + String(value).length - 1]) {
        const hit = valueAtOffset(text, offset)
        expect(hit, `${value} at ${offset}`).toMatchObject({ pointer, kind: 'number', value })
        expect(resolvePointer(JSON.parse(text), hit!.pointer)).toBe(value)
      }
    }
  })

  it('names literals, strings, keys, and the containers under a bracket', () => {
    expect(valueAtOffset(pretty, at(pretty, 'true'))).toMatchObject({ pointer: '/flag', kind: 'literal' })
    expect(valueAtOffset(pretty, at(pretty, 'null'))).toMatchObject({ pointer: '/none', kind: 'literal' })
    expect(valueAtOffset(pretty, at(pretty, '"x"'))).toMatchObject({ pointer: '/s', kind: 'string' })
    expect(valueAtOffset(pretty, at(pretty, '"flag"') + 2)).toMatchObject({ pointer: '/flag', kind: 'key' })
    expect(valueAtOffset(compact, 0)).toMatchObject({ pointer: '', kind: 'object' })
    expect(valueAtOffset(compact, compact.length - 1)).toMatchObject({ pointer: '', kind: 'object' })
    expect(valueAtOffset(compact, at(compact, '[10'))).toMatchObject({ pointer: '/a/b', kind: 'array' })
    expect(valueAtOffset(compact, at(compact, ']', 0))).toMatchObject({ pointer: '/a/b', kind: 'array' })
  })

  it('escapes ~ and / in keys as RFC 6901 says, and keeps dots and spaces as they are', () => {
    const text = JSON.stringify({ 'a/b': { 'm~n': 1 }, 'x.y': 2, 'k "q"': 3, '': 4 }, null, 2)
    expect(valueAtOffset(text, at(text, '1'))).toMatchObject({ pointer: '/a~1b/m~0n', value: 1 })
    expect(valueAtOffset(text, at(text, '2'))).toMatchObject({ pointer: '/x.y', value: 2 })
    expect(valueAtOffset(text, at(text, '3'))).toMatchObject({ pointer: '/k "q"', value: 3 })
    expect(valueAtOffset(text, at(text, '4'))).toMatchObject({ pointer: '/', value: 4 })
    for (const n of [1, 2, 3, 4]) {
      const hit = valueAtOffset(text, at(text, String(n)))!
      expect(resolvePointer(JSON.parse(text), hit.pointer)).toBe(n)
    }
  })

  it('skips brackets, commas, colons and escaped quotes inside strings', () => {
    const doc2 = { 'k[{,:': '}]"\\,[', arr: ['a]b', '{"x":9}', 7], after: 8 }
    const text = JSON.stringify(doc2)
    expect(valueAtOffset(text, at(text, '7'))).toMatchObject({ pointer: '/arr/2', value: 7 })
    expect(valueAtOffset(text, at(text, '8'))).toMatchObject({ pointer: '/after', value: 8 })
    // The 9 inside a string is part of that string, not a number.
    expect(valueAtOffset(text, at(text, '9'))).toMatchObject({ pointer: '/arr/1', kind: 'string' })
  })

  it('answers null on whitespace and punctuation, and outside the text', () => {
    const text = '{ "a" : 1 , "b": [ 2 ] }'
    expect(valueAtOffset(text, 1)).toBeNull()
    expect(valueAtOffset(text, text.indexOf(':'))).toBeNull()
    expect(valueAtOffset(text, text.indexOf(','))).toBeNull()
    expect(valueAtOffset(text, -1)).toBeNull()
    expect(valueAtOffset(text, text.length)).toBeNull()
  })

  it('names the whole document for a bare number', () => {
    expect(valueAtOffset('  42.5 ', 3)).toMatchObject({ pointer: '', kind: 'number', value: 42.5 })
    expect(isBareNumber(' -12.5e3\n')).toBe(true)
    expect(isBareNumber('12 13')).toBe(false)
    expect(isBareNumber('{"a":1}')).toBe(false)
    expect(isBareNumber('')).toBe(false)
  })
})

describe('pointer helpers', () => {
  it('escapes ~ before / so "~1" in a key stays itself', () => {
    expect(escapePointerToken('~1')).toBe('~01')
    expect(escapePointerToken('a/b~c')).toBe('a~1b~0c')
    expect(pointerOf(['a', 0, 'b/c'])).toBe('/a/0/b~1c')
    expect(pointerOf([])).toBe('')
  })

  it('finds U+FFFD replacement characters, bounded', () => {
    expect(replacementOffsets('a\uFFFDb\uFFFD')).toEqual([1, 3])
    expect(replacementOffsets('\uFFFD'.repeat(10), 3)).toEqual([0, 1, 2])
    expect(replacementOffsets('clean')).toEqual([])
  })
})
