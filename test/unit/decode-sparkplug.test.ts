import { createRequire } from 'node:module'
import { describe, expect, it, vi } from 'vitest'
import { decodePayload, previewDecoded } from '../../electron/core/decode/pipeline'
import { sparkplugPayloadType } from '../../electron/core/decode/sparkplug/schema'
import { decodeContext } from '../fixtures/decode-tools'

// The Eclipse Tahu encoder (test-only dependency): payloads made by a tool we did not write.
const tahu = createRequire(import.meta.url)('sparkplug-payload').get('spBv1.0') as { encodePayload(p: unknown): Uint8Array }
const encode = (p: unknown) => Buffer.from(tahu.encodePayload(p))

const NBIRTH = encode({
  timestamp: 1_700_000_000_000,
  seq: 0,
  metrics: [
    { name: 'bdSeq', type: 'UInt64', value: 3 },
    { name: 'Node Control/Rebirth', alias: 1, type: 'Boolean', value: false },
    { name: 'Supply/Voltage', alias: 2, type: 'Double', value: 229.5 },
  ],
})
const DBIRTH = encode({
  timestamp: 1_700_000_000_100,
  seq: 1,
  metrics: [
    { name: 'Temperature', alias: 10, type: 'Float', value: 21.5 },
    { name: 'Count', alias: 11, type: 'Int64', value: -7 },
    { name: 'Offset', alias: 12, type: 'Int16', value: -300 },
    { name: 'Label', alias: 13, type: 'String', value: 'pump' },
  ],
})
const DDATA = encode({
  timestamp: 1_700_000_001_000,
  seq: 2,
  metrics: [
    { alias: 10, type: 'Float', value: 22.25 },
    { alias: 11, type: 'Int64', value: -8 },
    { alias: 12, type: 'Int16', value: -301 },
    { alias: 2, type: 'Double', value: 230.25 },
    { alias: 99, type: 'Int32', value: 5 },
  ],
})

const trees = (topics: Record<string, Buffer>) => (topic: string) => topics[topic]

describe('Sparkplug B DATA without datatypes (Sparkplug 3.0 sends them in the BIRTH only)', () => {
  // Tahu always writes a datatype, so these DATA payloads are written with the schema itself,
  // as the Sandbox's edge node writes them: alias and value, nothing else.
  const type = sparkplugPayloadType()
  const bare = Buffer.from(type.encode(type.fromObject({ seq: 4, metrics: [{ alias: 12, int_value: 0xffff_fed3 }, { alias: 10, float_value: 22.25 }, { name: 'Label', string_value: 'p2' }] })).finish())

  it("takes each metric's datatype from the BIRTH, so a negative Int16 stays negative", () => {
    const latest = trees({ 'spBv1.0/plant/DBIRTH/edge-1/pump': DBIRTH })
    const out = decodePayload(bare, decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump', latestPayload: latest }))
    expect(out.sparkplug?.metrics.map((m) => [m.name, m.datatype, m.value])).toEqual([
      ['Offset', 'Int16', -301],
      ['Temperature', 'Float', 22.25],
      ['Label', 'String', 'p2'],
    ])
  })

  it('says Unknown when no BIRTH is stored, and shows the bits as sent', () => {
    const out = decodePayload(bare, decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump' }))
    expect(out.sparkplug?.metrics.map((m) => [m.name, m.datatype])).toEqual([[null, 'Unknown'], [null, 'Unknown'], ['Label', 'Unknown']])
    expect(out.sparkplug?.unresolvedAliases).toBe(2)
  })
})

describe('Sparkplug B, payloads from the Eclipse Tahu encoder', () => {
  it('reads an NBIRTH under spBv1.0/ without being told: topic parts, seq, metrics with datatypes', () => {
    const out = decodePayload(NBIRTH, decodeContext({ topic: 'spBv1.0/plant/NBIRTH/edge-1' }))
    expect(out.error).toBeNull()
    expect(out.detected).toBe('sparkplug')
    expect(out.reason).toBe('topic under spBv1.0/')
    expect(out.sparkplug).toEqual({
      group: 'plant', messageType: 'NBIRTH', edgeNode: 'edge-1', device: null, seq: 0, timestamp: 1_700_000_000_000, unresolvedAliases: 0,
      metrics: [
        { name: 'bdSeq', alias: null, datatype: 'UInt64', value: 3, timestamp: null, isNull: false, nameFromBirth: false },
        { name: 'Node Control/Rebirth', alias: 1, datatype: 'Boolean', value: false, timestamp: null, isNull: false, nameFromBirth: false },
        { name: 'Supply/Voltage', alias: 2, datatype: 'Double', value: 229.5, timestamp: null, isNull: false, nameFromBirth: false },
      ],
    })
  })

  it('names the alias-only metrics of a DDATA from the DBIRTH and NBIRTH, signed values kept signed', () => {
    const latest = trees({ 'spBv1.0/plant/DBIRTH/edge-1/pump': DBIRTH, 'spBv1.0/plant/NBIRTH/edge-1': NBIRTH })
    const out = decodePayload(DDATA, decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump', latestPayload: latest }))
    const s = out.sparkplug
    expect(s?.device).toBe('pump')
    expect(s?.metrics.map((m) => [m.name, m.value, m.nameFromBirth])).toEqual([
      ['Temperature', 22.25, true],
      ['Count', -8, true],
      ['Offset', -301, true],
      ['Supply/Voltage', 230.25, true],
      [null, 5, false],
    ])
    expect(s?.unresolvedAliases).toBe(1)
    expect(out.layers).toEqual([{ decoder: 'sparkplug', note: '5 metrics, 1 unresolved alias', noteCode: 'sparkplugMetrics', noteParams: { metrics: 5, unresolved: 1 } }])
  })

  it('decodes a BIRTH once for any number of DATA messages (cached by payload identity)', () => {
    // A copy the other tests have not cached yet.
    const latest = trees({ 'spBv1.0/plant/DBIRTH/edge-1/pump': Buffer.from(DBIRTH) })
    const ctx = decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump', latestPayload: latest })
    const decodes = vi.spyOn(sparkplugPayloadType(), 'decode')
    try {
      const first = decodePayload(DDATA, ctx)
      for (let i = 0; i < 9; i++) expect(decodePayload(DDATA, ctx).sparkplug).toEqual(first.sparkplug)
      // Ten DATA payloads and one BIRTH.
      expect(decodes).toHaveBeenCalledTimes(11)
      // A new BIRTH (another Buffer) is read again.
      decodePayload(DDATA, decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump', latestPayload: trees({ 'spBv1.0/plant/DBIRTH/edge-1/pump': Buffer.from(DBIRTH) }) }))
      expect(decodes).toHaveBeenCalledTimes(13)
    } finally {
      decodes.mockRestore()
    }
  })

  it('without a BIRTH in the tree, counts every alias as unresolved', () => {
    const out = decodePayload(DDATA, decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump' }))
    expect(out.sparkplug?.unresolvedAliases).toBe(5)
    expect(out.sparkplug?.metrics.every((m) => m.name === null)).toBe(true)
  })

  it('leaves STATE and malformed topics to normal detection', () => {
    expect(decodePayload(Buffer.from('{"online":true,"timestamp":1}'), decodeContext({ topic: 'spBv1.0/STATE/scada-1' })).detected).toBe('json')
    expect(decodePayload(NBIRTH, decodeContext({ topic: 'spBv1.0/plant/NBIRTH' })).detected).not.toBe('sparkplug')
    expect(decodePayload(NBIRTH, decodeContext({ topic: 'spBv1.0/plant/DBIRTH/edge-1' })).detected).not.toBe('sparkplug')
  })

  it('a payload under spBv1.0/ that is not Sparkplug gives "Not valid Sparkplug B: …" and hex', () => {
    const out = decodePayload(Buffer.from('0a05ab', 'hex'), decodeContext({ topic: 'spBv1.0/plant/NDATA/edge-1' }))
    expect(out.error).toMatch(/^Not valid Sparkplug B: /)
    expect(out.result).toEqual({ kind: 'hex' })
  })

  it('previews a DATA row as its metrics by name', () => {
    const latest = trees({ 'spBv1.0/plant/DBIRTH/edge-1/pump': DBIRTH, 'spBv1.0/plant/NBIRTH/edge-1': NBIRTH })
    const preview = previewDecoded(DDATA, decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump', latestPayload: latest }))
    expect(preview).toBe('seq 2 · Temperature=22.25, Count=-8, Offset=-301, Supply/Voltage=230.25, alias 99=5')
  })
})
