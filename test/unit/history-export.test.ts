import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { DecodedView, TextPage } from '../../electron/api'
import {
  base64Text, copyRefusal, COPY_LIMIT_CHARS, decodedIsJson, decodedRefusal, decodedText, exportChars, exportFileName, hexDump,
} from '../../renderer/src/lib/history/message-export'

const textView = (text: string, nextOffset: number | null, totalChars = text.length): DecodedView => ({
  kind: 'text', language: 'json', totalChars, firstPage: { offset: 0, text, nextOffset }, invalidUtf8: 0, formatted: true,
})

describe('copy and save formats of a message', () => {
  it('writes a hex dump with offsets like hexdump -C, 16 bytes and their ASCII per line', () => {
    const bytes = new Uint8Array(Buffer.from('Hello, MQTT 5 world!\x00\x01\xff', 'latin1'))
    const dump = hexDump(bytes)
    expect(dump.split('\n')).toEqual([
      '00000000  48 65 6c 6c 6f 2c 20 4d  51 54 54 20 35 20 77 6f  Hello, MQTT 5 wo',
      '00000010  72 6c 64 21 00 01 ff                              rld!...',
    ])
    // The same bytes and offsets as a dump tool we did not write.
    const reference = execFileSync('od', ['-A', 'x', '-t', 'x1', '-v', '-w16'], { input: Buffer.from(bytes) }).toString()
    const fromOd = reference.trim().split('\n').slice(0, -1).map((l) => l.split(/\s+/).slice(1).join(' '))
    const fromUs = dump.split('\n').map((l) => l.slice(10, 58).trim().split(/\s+/).join(' '))
    expect(fromUs).toEqual(fromOd)
    expect(hexDump(new Uint8Array())).toBe('')
  })

  it('writes standard padded base64 that decodes to the same bytes', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff)
    const b64 = base64Text(bytes)
    expect(b64).toBe(Buffer.from(bytes).toString('base64'))
    expect(exportChars('base64', bytes.length)).toBe(b64.length)
  })

  it('joins every page of the decoded document, fetched from the first page’s next offset', async () => {
    const doc = '{\n  "a": 1,\n  "b": [1, 2, 3]\n}'
    const asked: number[] = []
    const page = async (offset: number): Promise<TextPage> => {
      asked.push(offset)
      const end = Math.min(doc.length, offset + 8)
      return { offset, text: doc.slice(offset, end), nextOffset: end < doc.length ? end : null }
    }
    expect(await decodedText(textView(doc.slice(0, 8), 8, doc.length), page)).toBe(doc)
    expect(asked).toEqual([8, 16, 24])
    expect(await decodedText(textView(doc, null), page)).toBe(doc)
    // A page that does not advance ends the text instead of looping.
    expect(await decodedText(textView('ab', 2), async () => ({ offset: 2, text: 'x', nextOffset: 2 }))).toBe('ab')
  })

  it('makes number readings JSON and refuses views that have no decoded document, with a sentence', async () => {
    const numbers: DecodedView = { kind: 'numbers', readings: [{ format: 'uint16be', value: '258' }, { format: 'uint16le', value: '513' }] }
    expect(JSON.parse(await decodedText(numbers, async () => { throw new Error('no pages') }))).toEqual({ uint16be: '258', uint16le: '513' })
    expect(decodedIsJson(numbers)).toBe(true)
    expect(decodedRefusal(numbers)).toBeNull()
    expect(decodedRefusal({ kind: 'hex', totalBytes: 3 })).toMatch(/no decoded form.*hex or base64/)
    expect(decodedRefusal({ kind: 'image', mime: 'image/png', dataBase64: '', width: 1, height: 1 })).toMatch(/image/)
    expect(decodedRefusal({ kind: 'empty' })).toMatch(/empty/)
  })

  it('refuses a copy above the clipboard limit with a sentence that says to save', () => {
    expect(copyRefusal(COPY_LIMIT_CHARS)).toBeNull()
    expect(copyRefusal(COPY_LIMIT_CHARS + 1)).toMatch(/use Save instead/)
    expect(copyRefusal(exportChars('hex', 16 * 1024 * 1024))).not.toBeNull()
  })

  it('names files after the topic’s last level and the arrival time, safe on every OS', () => {
    const t = Date.UTC(2026, 11, 2, 1, 42, 24, 123)
    expect(exportFileName('plant/hall1/temperature', t, 'hex')).toBe('temperature_2026-12-02T01-42-24.123Z.hex.txt')
    expect(exportFileName('plant/hall1/temperature', t, 'raw')).toBe('temperature_2026-12-02T01-42-24.123Z.bin')
    expect(exportFileName('a/b', t, 'base64')).toBe('b_2026-12-02T01-42-24.123Z.b64.txt')
    expect(exportFileName('a/b', t, 'decoded')).toMatch(/\.json$/)
    expect(exportFileName('a/b', t, 'decoded', false)).toMatch(/\.txt$/)
    expect(exportFileName('a/', t, 'raw')).toBe('message_2026-12-02T01-42-24.123Z.bin')
    expect(exportFileName('x/..\\con:*?', t, 'raw')).toMatch(/^con_?_2026/)
  })
})
