/**
 * Two things main writes as words inside data rather than as sentences: the separator line of a
 * trimmed diff and the words of a decoded tree preview (an image's kind, a Sparkplug payload's
 * "seq", "alias", "no metrics"). Main's English stays exactly as it was; the renderer writes them
 * in the UI's language from the parts main sends beside them, and shows main's line in English.
 */
import { createRequire } from 'node:module'
import { afterEach, describe, expect, it } from 'vitest'
import type { PreviewWords } from '@api'
import { diffExcerpt, separatorLine } from '../../electron/core/inspect/diff-excerpt'
import { previewDecoded, type PreviewWordsSink } from '../../electron/core/decode/pipeline'
import { toRow } from '../../electron/core/tree/rows'
import { TopicTree } from '../../electron/core/tree/topic-tree'
import { i18n, t } from '../../renderer/src/lib/i18n'
import { excerptText } from '../../renderer/src/lib/inspect/diff-excerpt'
import { previewLine, rowPreview } from '../../renderer/src/lib/tree/preview-words'
import { decodeContext } from '../fixtures/decode-tools'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

const lines = (n: number, change: (i: number) => string) => Array.from({ length: n }, (_, i) => change(i)).join('\n')

describe('the diff separator', () => {
  it('its English key says what main writes, for one line and for many', () => {
    for (const n of [1, 1234]) expect(t('inspector.diffSeparator', { n: n.toLocaleString('en-US') }, n)).toBe(separatorLine(n))
  })

  it('is written in the UI’s language on both sides at the separators’ places, the kept lines untouched', () => {
    const left = lines(200, (i) => `line ${i}`)
    const right = lines(200, (i) => (i === 100 ? 'changed' : `line ${i}`))
    const excerpt = diffExcerpt(left, right, 3)
    if (!excerpt.trimmed) throw new Error('not trimmed')
    expect(excerpt.left.text).toContain(separatorLine(97))
    i18n.global.locale.value = 'de'
    const german = (n: number) => t('inspector.diffSeparator', { n: n.toLocaleString('de') }, n)
    const l = excerptText(excerpt.left, german).split('\n')
    const r = excerptText(excerpt.right, german).split('\n')
    expect(l[0]).toBe('⋯ 97 unveränderte Zeilen ⋯')
    expect(l.at(-1)).toBe('⋯ 96 unveränderte Zeilen ⋯')
    expect(r[0]).toBe(l[0])
    expect(l.slice(1, -1)).toEqual(excerpt.left.text.split('\n').slice(1, -1))
    expect(r.slice(1, -1)).toContain('changed')
    i18n.global.locale.value = 'zh-CN'
    expect(t('inspector.diffSeparator', { n: '1' }, 1)).toBe('⋯ 1 行未更改 ⋯')
  })

  it('the words come with a plural in German', () => {
    i18n.global.locale.value = 'de'
    expect(t('inspector.diffSeparator', { n: '1' }, 1)).toBe('⋯ 1 unveränderte Zeile ⋯')
  })
})

const u32be = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), u32be(640), u32be(480), Buffer.from('0806000000', 'hex'), Buffer.alloc(20)])
const tahu = createRequire(import.meta.url)('sparkplug-payload').get('spBv1.0') as { encodePayload(p: unknown): Uint8Array }
const DDATA = Buffer.from(tahu.encodePayload({ timestamp: 1, seq: 2, metrics: [{ name: 'Temperature', type: 'Float', value: 22.25 }, { alias: 99, type: 'Int32', value: 5 }] }))
const EMPTY_DATA = Buffer.from(tahu.encodePayload({ timestamp: 1, seq: 7, metrics: [] }))
const sparkplug = decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump' })

describe('a decoded tree preview’s words', () => {
  it('are left in the sink for an image and a Sparkplug payload, beside main’s unchanged English line', () => {
    const sink: PreviewWordsSink = {}
    expect(previewDecoded(PNG, decodeContext({ rule: { filter: 't', decoder: 'image' } }), sink)).toBe('PNG image 640 × 480')
    expect(sink.words).toEqual({ kind: 'image', format: 'PNG', width: 640, height: 480 })
    expect(previewDecoded(DDATA, sparkplug, sink)).toBe('seq 2 · Temperature=22.25, alias 99=5')
    expect(sink.words).toEqual({ kind: 'sparkplug', seq: 2, metrics: [{ name: 'Temperature', alias: null, value: '22.25' }, { name: null, alias: 99, value: '5' }] })
  })

  it('are none for a JSON preview, and the sink is cleared for it', () => {
    const sink: PreviewWordsSink = { words: { kind: 'image', format: 'PNG', width: null, height: null } }
    expect(previewDecoded(Buffer.from('{"a":1}'), decodeContext({ rule: { filter: 't', decoder: 'json' } }), sink)).toBe('{"a":1}')
    expect(sink.words).toBeUndefined()
  })

  it('reach the row only for a preview that has them', () => {
    const tree = new TopicTree()
    tree.insert('a/img', PNG, { qos: 0, retain: false }, 1)
    tree.insert('a/json', Buffer.from('{"a":1}'), { qos: 0, retain: false }, 1)
    const words: PreviewWords = { kind: 'image', format: 'PNG', width: 640, height: 480 }
    const img = toRow(tree.get('a/img')!, false, false, () => ({ text: 'PNG image 640 × 480', words }))
    expect(img).toMatchObject({ preview: 'PNG image 640 × 480', previewKind: 'text', previewWords: words })
    const json = toRow(tree.get('a/json')!, false, false, () => '{"a":1}')
    expect('previewWords' in json).toBe(false)
    expect('previewWords' in toRow(tree.get('a/json')!, false, false)).toBe(false)
  })

  it('are written in German and Chinese; English shows main’s line as it came', () => {
    const sink: PreviewWordsSink = {}
    const english = previewDecoded(DDATA, sparkplug, sink)!
    const row = { preview: english, previewWords: sink.words }
    expect(rowPreview(row)).toBe(english)
    i18n.global.locale.value = 'de'
    expect(rowPreview(row)).toBe('Seq. 2 · Temperature=22.25, Alias 99=5')
    expect(rowPreview({ preview: '{"a":1}' })).toBe('{"a":1}')
    expect(previewLine({ kind: 'image', format: 'PNG', width: 640, height: 480 })).toBe('PNG-Bild 640 × 480')
    expect(previewLine({ kind: 'image', format: 'GIF', width: null, height: null })).toBe('GIF-Bild')
    previewDecoded(EMPTY_DATA, sparkplug, sink)
    expect(previewLine(sink.words!)).toBe('Seq. 7 · keine Metriken')
    i18n.global.locale.value = 'zh-CN'
    expect(rowPreview(row)).toBe('序号 2 · Temperature=22.25, 别名 99=5')
    expect(previewLine({ kind: 'image', format: 'PNG', width: 640, height: 480 })).toBe('PNG 图像 640 × 480')
  })

  it('are cut to one line of 100 characters, as main cuts its own', () => {
    i18n.global.locale.value = 'de'
    const metrics = Array.from({ length: 30 }, (_, i) => ({ name: `metric-${i}`, alias: null, value: String(i) }))
    const line = previewLine({ kind: 'sparkplug', seq: 1, metrics })
    expect(line).toHaveLength(100)
    expect(line.endsWith('…')).toBe(true)
  })
})
