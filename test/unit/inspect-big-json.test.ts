/**
 * 16 MB of JSON in the inspector, against the real tree, inspector and decoders: a provisional
 * decode answers with the first page once the start is checked, and says so (pending, no total,
 * an honest reason); the rest is checked in slices that leave the event loop free, after which
 * the same document knows its total. A payload that turns out not to be JSON ends as text with
 * the place it stopped, never as "JSON" and never in a loop.
 */
import type { IPublishPacket } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { methods, type DecodedMessage } from '../../electron/api'
import { reindentJsonBytes } from '../../electron/core/decode/json-text'
import { InspectManager } from '../../electron/core/inspect/inspect-manager'
import { TreeManager } from '../../electron/core/tree/tree-manager'

const MB = 1024 * 1024
const packet = { cmd: 'publish', qos: 0, retain: false, dup: false } as unknown as IPublishPacket
let trees: TreeManager
let inspect: InspectManager

/** A JSON array of small objects, just under `bytes`. */
function jsonPayload(bytes: number): Buffer {
  const parts: string[] = []
  let size = 2
  for (let i = 0; ; i++) {
    const item = JSON.stringify({ id: i, name: `sensor-${i}`, value: (i % 1000) / 10, ok: i % 3 !== 0 })
    if (size + item.length + 1 > bytes) break
    parts.push(item)
    size += item.length + 1
  }
  return Buffer.from(`[${parts.join(',')}]`)
}

const BIG = jsonPayload(16 * MB - 200)
const WHOLE = reindentJsonBytes(BIG)

const params = (path: string, extra: Record<string, unknown> = {}) => methods['inspect.decode'].parse({ message: { connectionId: 'c1', path }, firstPageChars: 65536, ...extra })
const textView = (answer: DecodedMessage) => {
  if (answer.view.kind !== 'text') throw new Error(`a ${answer.view.kind} view`)
  return answer.view
}
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

beforeEach(() => {
  trees = new TreeManager({ emit: () => {}, emitTo: () => {} })
  inspect = new InspectManager({ trees, schemas: { lookup: { protobuf: () => undefined, avro: () => undefined }, generation: 1 } })
})
afterEach(() => {
  inspect.close()
  trees.close()
})

describe('16 MB of JSON in the inspector', () => {
  it('gives its first page before the check is done, then the same document with its full length', async () => {
    trees.onMessage('c1', 'big/json', BIG, packet, Date.now())
    const first = inspect.decode(params('big/json', { provisional: true }))
    expect(first.pending).toBe(true)
    expect(first.detected).toBe('json')
    expect(first.reason).toMatch(/^its first [\d,]+ bytes parse as JSON, [\d,]+ to go$/)
    expect(first.reasonCode).toBe('jsonChecking')
    expect(first.reason).toBe(`its first ${Number(first.reasonParams?.checked).toLocaleString('en-US')} bytes parse as JSON, ${Number(first.reasonParams?.left).toLocaleString('en-US')} to go`)
    expect(Number(first.reasonParams?.checked) + Number(first.reasonParams?.left)).toBe(BIG.length)
    const view = textView(first)
    expect(view.totalCharsKnown).toBe(false)
    expect(view.language).toBe('json')
    expect(view.firstPage.text).toBe(WHOLE.slice(0, 65536))
    expect(view.totalChars).toBeLessThan(WHOLE.length)

    // Other work runs between the check's slices: one turn later it is still going.
    await turn()
    await turn()
    expect(inspect.decode(params('big/json', { provisional: true })).pending).toBe(true)

    const checked = await inspect.decodeChecked(params('big/json'))
    expect(checked.docId).toBe(first.docId)
    expect(checked.pending).toBeUndefined()
    expect([checked.detected, checked.reason]).toEqual(['json', 'parses as JSON'])
    expect(textView(checked).totalChars).toBe(WHOLE.length)
    expect(textView(checked).totalCharsKnown).toBeUndefined()
    const last = await inspect.textChecked(methods['inspect.text'].parse({ docId: first.docId, offset: WHOLE.length - 100, maxChars: 1000 }))
    expect([last.text, last.nextOffset, last.totalChars]).toEqual([WHOLE.slice(-100), null, WHOLE.length])
  })

  it('that is broken near its end ends as text with where it stopped being JSON', async () => {
    const broken = Buffer.concat([BIG.subarray(0, -1), Buffer.from(',}')])
    trees.onMessage('c1', 'big/broken', broken, packet, Date.now())
    const first = inspect.decode(params('big/broken', { provisional: true }))
    expect(first.pending).toBe(true)
    expect(textView(first).firstPage.text).toBe(WHOLE.slice(0, 65536))

    const checked = await inspect.decodeChecked(params('big/broken'))
    expect(checked.docId).toBe(first.docId)
    expect(checked.pending).toBeUndefined()
    expect(checked.detected).toBe('text')
    expect(checked.reason).toBe(`valid UTF-8; it stops being JSON at byte ${broken.length.toLocaleString('en-US')}`)
    // The same as codes, for the renderer to translate: detection's reason now, and where the JSON stopped.
    expect([checked.reasonCode, checked.reasonParams]).toEqual(['validUtf8', { jsonStopsAt: broken.length }])
    const view = textView(checked)
    expect([view.language, view.totalChars, view.firstPage.text]).toEqual(['plaintext', broken.length, broken.toString('latin1', 0, 65536)])
    // A page asked for while it was still being checked is of the text it became.
    expect((await inspect.textChecked(methods['inspect.text'].parse({ docId: first.docId, offset: 0, maxChars: 10 }))).text).toBe('[{"id":0,"')
  })

  it('forced as JSON, a broken document says why with the hex view', async () => {
    const broken = Buffer.concat([BIG.subarray(0, -1), Buffer.from(']]')])
    trees.onMessage('c1', 'big/forced', broken, packet, Date.now())
    expect(inspect.decode(params('big/forced', { provisional: true, decoder: 'json' })).pending).toBe(true)
    const checked = await inspect.decodeChecked(params('big/forced', { decoder: 'json' }))
    expect(checked.error).toBe(`Not valid JSON: it stops being JSON at byte ${broken.length.toLocaleString('en-US')}`)
    expect(checked.view).toEqual({ kind: 'hex', totalBytes: broken.length })
  })

  it('is checked first, in this task, for a caller that is not provisional or asks for a bigger first page', () => {
    trees.onMessage('c1', 'big/json', BIG, packet, Date.now())
    expect(inspect.decode(params('big/json', { provisional: true, firstPageChars: 1024 * 1024 })).pending).toBeUndefined()
    trees.onMessage('c1', 'big/other', Buffer.from(BIG), packet, Date.now())
    const answer = inspect.decode(params('big/other'))
    expect([answer.pending, textView(answer).totalChars]).toEqual([undefined, WHOLE.length])
  })

  it('a provisional first page up to 256K characters is checked as far as it needs, not further', () => {
    trees.onMessage('c1', 'big/json', BIG, packet, Date.now())
    inspect.decode(params('big/json', { provisional: true, firstPageChars: 0 }))
    const bigger = inspect.decode(params('big/json', { provisional: true, firstPageChars: 256 * 1024 }))
    expect(bigger.pending).toBe(true)
    expect(textView(bigger).firstPage.text).toBe(WHOLE.slice(0, 256 * 1024))
  })

  it('a diff of a document still being checked compares its checked text, never a stand-in', async () => {
    const a = jsonPayload(2 * MB)
    const b = Buffer.from(a.toString().replace('"sensor-5"', '"sensor-five"'))
    trees.onMessage('c1', 'diff/a', a, packet, Date.now())
    trees.onMessage('c1', 'diff/b', b, packet, Date.now())
    const left = inspect.decode(params('diff/a', { provisional: true }))
    const right = inspect.decode(params('diff/b', { provisional: true }))
    expect([left.pending, right.pending]).toEqual([true, true])
    const excerpt = inspect.diff(methods['inspect.diff'].parse({ left: left.docId, right: right.docId }))
    if (!excerpt.trimmed) throw new Error(excerpt.reason)
    expect(excerpt.left.totalLines).toBe(reindentJsonBytes(a).split('\n').length)
    expect(excerpt.left.text).toContain('"name": "sensor-5"')
    expect(excerpt.right.text).toContain('"name": "sensor-five"')
  })
})
