/**
 * What a series reads from a message: the whole payload, a JSON field by pointer (numeric strings
 * and booleans count, anything else is skipped), a Sparkplug metric from the decode outcome (a
 * stub outcome here: the decoders are tested on their own), and fixed-width binary numbers
 * checked against Node's own Buffer writers. Plus how point batches merge in the coalescer.
 */
import { describe, expect, it } from 'vitest'
import { ApiError, mergeChartPoints, type NumberFormat, type SeriesSource, type SparkplugSummary } from '../../electron/api'
import { chartNumber, compileSource, extractNumber, MessageValues, readBinaryNumber } from '../../electron/core/charts/value-extractor'
import { NO_SCHEMAS, type DecodeContext } from '../../electron/core/decode/types'

const context = (over: Partial<DecodeContext> = {}): DecodeContext => ({ topic: 't', schemas: NO_SCHEMAS, latestPayload: () => undefined, ...over })
const source = (over: Partial<SeriesSource>): SeriesSource => ({ connectionId: 'c', topic: 'plant/line1', pointer: '', ...over })

function read(src: Partial<SeriesSource>, payload: string | Buffer, ctx = context()): number | undefined {
  const values = new MessageValues()
  values.reset(Buffer.isBuffer(payload) ? payload : Buffer.from(payload), () => ctx)
  return extractNumber(compileSource(source(src)), values)
}

describe('the value extractor', () => {
  it('reads a whole numeric payload, a JSON number field, and a field under a key with a dot', () => {
    expect(read({}, '23.5')).toBe(23.5)
    expect(read({}, ' -4e3 ')).toBe(-4000)
    expect(read({ pointer: '/temp' }, '{"temp": 21.25, "unit": "C"}')).toBe(21.25)
    expect(read({ pointer: '/a.b/0/v' }, '{"a.b": [{"v": 7}]}')).toBe(7)
    expect(read({ pointer: '/a~1b' }, '{"a/b": 3}')).toBe(3)
  })

  it('counts numeric strings and booleans, and nothing else', () => {
    expect(read({ pointer: '/v' }, '{"v": "23.5"}')).toBe(23.5)
    expect(read({ pointer: '/on' }, '{"on": true}')).toBe(1)
    expect(read({ pointer: '/on' }, '{"on": false}')).toBe(0)
    expect(read({}, '"42"')).toBe(42)
    for (const payload of ['{"v": "warm"}', '{"v": null}', '{"v": {}}', '{"v": "0x10"}', '{"v": ""}', '{"w": 1}']) expect(read({ pointer: '/v' }, payload), payload).toBeUndefined()
    expect(read({}, 'twelve')).toBeUndefined()
    expect(read({}, '12 apples')).toBeUndefined()
    expect(read({}, '')).toBeUndefined()
    expect(chartNumber(Number.NaN)).toBeUndefined()
    expect(chartNumber(Number.POSITIVE_INFINITY)).toBeUndefined()
  })

  it('reads a Sparkplug metric by name from the decode outcome, skipping null metrics', () => {
    const summary: SparkplugSummary = {
      group: 'g', messageType: 'DDATA', edgeNode: 'e', device: 'd', seq: 1, timestamp: null, unresolvedAliases: 0,
      metrics: [
        { name: 'Temperature', alias: 1, datatype: 'Double', value: 19.5, timestamp: null, isNull: false, nameFromBirth: true },
        { name: 'Counter', alias: 2, datatype: 'UInt64', value: '9007199254740993', timestamp: null, isNull: false, nameFromBirth: false },
        { name: 'Broken', alias: 3, datatype: 'Double', value: null, timestamp: null, isNull: true, nameFromBirth: false },
      ],
    }
    const values = new MessageValues()
    values.reset(Buffer.from([0x08, 0x01]), () => context())
    // The outcome of the real pipeline, with the decoders' Sparkplug summary in it.
    const outcome = values.outcome()
    Object.assign(outcome, { sparkplug: summary })
    const metric = (name: string) => extractNumber(compileSource(source({ topic: 'spBv1.0/g/DDATA/e/d', sparkplugMetric: name })), values)
    expect(metric('Temperature')).toBe(19.5)
    expect(metric('Counter')).toBe(9007199254740992)
    expect(metric('Broken')).toBeUndefined()
    expect(metric('Missing')).toBeUndefined()
  })

  it('reads every fixed-width number format as Node writes it, and only payloads of that width', () => {
    const cases: Array<[NumberFormat, (b: Buffer) => void, number, number]> = [
      ['int8', (b) => b.writeInt8(-5), 1, -5],
      ['uint8', (b) => b.writeUInt8(250), 1, 250],
      ['int16le', (b) => b.writeInt16LE(-300), 2, -300],
      ['int16be', (b) => b.writeInt16BE(-300), 2, -300],
      ['uint16le', (b) => b.writeUInt16LE(60_000), 2, 60_000],
      ['uint16be', (b) => b.writeUInt16BE(60_000), 2, 60_000],
      ['int32le', (b) => b.writeInt32LE(-70_000), 4, -70_000],
      ['int32be', (b) => b.writeInt32BE(-70_000), 4, -70_000],
      ['uint32le', (b) => b.writeUInt32LE(4_000_000_000), 4, 4_000_000_000],
      ['uint32be', (b) => b.writeUInt32BE(4_000_000_000), 4, 4_000_000_000],
      ['int64le', (b) => b.writeBigInt64LE(-(2n ** 40n)), 8, -(2 ** 40)],
      ['int64be', (b) => b.writeBigInt64BE(-(2n ** 40n)), 8, -(2 ** 40)],
      ['uint64le', (b) => b.writeBigUInt64LE(2n ** 60n), 8, 2 ** 60],
      ['uint64be', (b) => b.writeBigUInt64BE(2n ** 60n), 8, 2 ** 60],
      ['float32le', (b) => b.writeFloatLE(1.5), 4, 1.5],
      ['float32be', (b) => b.writeFloatBE(1.5), 4, 1.5],
      ['float64le', (b) => b.writeDoubleLE(Math.PI), 8, Math.PI],
      ['float64be', (b) => b.writeDoubleBE(Math.PI), 8, Math.PI],
    ]
    for (const [format, write, width, expected] of cases) {
      const bytes = Buffer.alloc(width)
      write(bytes)
      expect(read({ numberFormat: format }, bytes), format).toBe(expected)
      // Read from inside a bigger buffer, as payloads are (a slice of a slab).
      const slab = Buffer.concat([Buffer.from([0xaa, 0xbb, 0xcc]), bytes])
      expect(readBinaryNumber(slab.subarray(3), format), `${format} in a slab`).toBe(expected)
      expect(read({ numberFormat: format }, Buffer.alloc(width + 1)), `${format} wrong width`).toBeUndefined()
    }
  })

  it('refuses sources that cannot give numbers, with CHART_LIMIT and a sentence', () => {
    const refused = (over: Partial<SeriesSource>) => {
      try {
        compileSource(source(over))
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError)
        expect((err as ApiError).code).toBe('CHART_LIMIT')
        return (err as ApiError).message
      }
      throw new Error('accepted')
    }
    expect(refused({ topic: 'plant/+/temp' })).toMatch(/without \+ or #/)
    expect(refused({ topic: 'plant/#' })).toMatch(/filter/)
    expect(refused({ pointer: 'temp' })).toMatch(/start it with \//)
    expect(refused({ pointer: '/a~2' })).toMatch(/not a JSON pointer/)
    expect(refused({ numberFormat: 'int8', sparkplugMetric: 'x' })).toMatch(/not both/)
  })

  it('parses a JSON payload once for every series of its topic', () => {
    const values = new MessageValues()
    let contexts = 0
    values.reset(Buffer.from('{"a": 1, "b": "2"}'), () => (contexts++, context()))
    const parse = JSON.parse
    let parses = 0
    JSON.parse = ((text: string) => (parses++, parse(text))) as typeof JSON.parse
    try {
      expect(extractNumber(compileSource(source({ pointer: '/a' })), values)).toBe(1)
      expect(extractNumber(compileSource(source({ pointer: '/b' })), values)).toBe(2)
    } finally {
      JSON.parse = parse
    }
    expect(parses).toBe(1)
    expect(contexts).toBe(1)
  })

  it('goes through the decode pipeline when a rule applies instead of parsing JSON itself', () => {
    // The stub pipeline decodes JSON too; the point is that a rule is never bypassed.
    const rule = { filter: 'plant/#', decoder: 'json' as const }
    expect(read({ pointer: '/v' }, '{"v": 4}', context({ rule }))).toBe(4)
  })
})

describe('mergeChartPoints', () => {
  const batch = (firstIndex: number, values: number[]) => ({ seriesId: 's', firstIndex, times: values.map((v) => v * 10), values, nextIndex: firstIndex + values.length })

  it('joins consecutive batches so no point is lost', () => {
    expect(mergeChartPoints(batch(0, [1, 2]), batch(2, [3]))).toEqual(batch(0, [1, 2, 3]))
  })

  it('keeps only the newer batch across a gap (the renderer fetches what it missed)', () => {
    expect(mergeChartPoints(batch(0, [1, 2]), batch(5, [6]))).toEqual(batch(5, [6]))
  })
})
