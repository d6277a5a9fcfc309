/**
 * Sensors that speak binary formats: CBOR (cbor2) and MessagePack (@msgpack/msgpack) maps with
 * numbers, strings, nested arrays, a byte string, a 64-bit integer and a timestamp; JSON reports
 * compressed with gzip and zlib (node:zlib); and a Base64 text wrapping CBOR, so the inspector's
 * layers (inflate, then detect again; Base64, then detect again) have something to peel.
 * One sensor of each pair carries an MQTT 5 content type, the other relies on detection alone.
 */
import { encode as encodeMsgpack } from '@msgpack/msgpack'
import { encode as encodeCbor } from 'cbor2'
import { gzipSync, deflateSync } from 'node:zlib'
import { pick, round, walk, type Random } from './demo-signals'
import type { DemoSource, FeedMessage } from './demo-source'

export interface BinarySensorOptions {
  rnd: Random
  /** Feed ticks between two readings of each sensor; default 8 (2 s at 250 ms). */
  every?: number
  /** Feed ticks between two compressed reports; default 20 (5 s). */
  reportEvery?: number
}

interface Sensor {
  topic: string
  contentType?: string
  encode: (reading: Reading) => Buffer
  seq: number
  /** A counter far beyond 2^53 that grows by one per reading: only a 64-bit integer holds it. */
  counter: bigint
  temperature: () => number
  humidity: () => number
  /** Its offset within the period, so the sensors do not all publish on one tick. */
  slot: number
}

interface Reading {
  sensor: string
  seq: number
  ts: Date
  temperature: number
  humidity: number
  battery: { voltage: number; low: boolean }
  /** Nested arrays: three axes of four samples each. */
  vibration: number[][]
  tags: string[]
  /** A byte string: the sensor's 6-byte hardware address. */
  mac: Uint8Array
  counter: bigint
  offset: number
}

const LINES = ['line-1', 'line-2', 'line-3']
const SHIFTS = ['early', 'late', 'night']

export class DemoBinarySensors implements DemoSource {
  private readonly rnd: Random
  private readonly every: number
  private readonly reportEvery: number
  private readonly sensors: Sensor[]
  private reports = 0

  constructor(options: BinarySensorOptions) {
    const rnd = (this.rnd = options.rnd)
    this.every = options.every ?? 8
    this.reportEvery = options.reportEvery ?? 20
    const cbor = (r: Reading) => Buffer.from(encodeCbor(r))
    const msgpack = (r: Reading) => Buffer.from(encodeMsgpack(r, { useBigInt64: true }))
    const defs: { topic: string; contentType?: string; encode: (r: Reading) => Buffer }[] = [
      { topic: 'sandbox/cbor/sensor-01', contentType: 'application/cbor', encode: cbor },
      { topic: 'sandbox/cbor/sensor-02', encode: cbor },
      { topic: 'sandbox/msgpack/sensor-01', contentType: 'application/msgpack', encode: msgpack },
      { topic: 'sandbox/msgpack/sensor-02', encode: msgpack },
      // Text that is Base64 of CBOR: one layer, then detected again.
      { topic: 'sandbox/base64/sensor-01', encode: (r) => Buffer.from(cbor(r).toString('base64'), 'ascii') },
    ]
    this.sensors = defs.map((d, i) => ({
      ...d,
      seq: 0,
      counter: 2n ** 62n + BigInt(Math.floor(rnd() * 1e9)),
      temperature: walk(rnd, 18 + rnd() * 8, -20, 60, 0.15),
      humidity: walk(rnd, 45 + rnd() * 10, 5, 100, 0.6),
      slot: Math.floor((i * this.every) / defs.length),
    }))
  }

  /** Every topic this source publishes. */
  get topics(): string[] {
    return [...this.sensors.map((s) => s.topic), 'sandbox/gzip/report', 'sandbox/zlib/report']
  }

  initial(now: number): FeedMessage[] {
    return [...this.sensors.map((s) => this.reading(s, now)), ...this.compressed(now)]
  }

  tick(tick: number, now: number): FeedMessage[] {
    const out = this.sensors.filter((s) => tick % this.every === s.slot).map((s) => this.reading(s, now))
    if (tick % this.reportEvery === 0) out.push(...this.compressed(now))
    return out
  }

  private reading(s: Sensor, now: number): FeedMessage {
    s.seq++
    s.counter++
    const reading: Reading = {
      sensor: s.topic.split('/').pop()!,
      seq: s.seq,
      ts: new Date(now),
      temperature: round(s.temperature(), 2),
      humidity: Math.round(s.humidity()),
      battery: { voltage: round(3 + this.rnd() * 0.3, 3), low: false },
      vibration: [0, 1, 2].map((axis) => Array.from({ length: 4 }, (_, i) => round(Math.sin((s.seq * 4 + i) / 3 + axis) * 0.5 + (this.rnd() - 0.5) * 0.05, 4))),
      tags: ['demo', s.topic.split('/')[1]],
      mac: Uint8Array.from([0x02, 0x5a, 0x4e, 0x44, 0x00, this.sensors.indexOf(s)]),
      counter: s.counter,
      offset: -Math.round(this.rnd() * 1000),
    }
    return { topic: s.topic, payload: s.encode(reading), retain: true, ...(s.contentType ? { contentType: s.contentType } : {}) }
  }

  /** A shift report a few KB long as JSON (compresses well, like real ones), gzipped and zlib-wrapped. */
  private compressed(now: number): FeedMessage[] {
    this.reports++
    const report = {
      report: this.reports,
      generated: new Date(now).toISOString(),
      shift: pick(this.rnd, SHIFTS),
      lines: LINES.map((line) => ({
        line,
        produced: Math.floor(800 + this.rnd() * 400),
        scrap: Math.floor(this.rnd() * 20),
        oee: round(0.6 + this.rnd() * 0.35, 3),
        stops: Array.from({ length: 6 }, (_, i) => ({ at: new Date(now - (i + 1) * 600_000).toISOString(), minutes: Math.floor(this.rnd() * 15), reason: pick(this.rnd, ['material', 'tooling', 'changeover', 'maintenance']) })),
      })),
    }
    const json = Buffer.from(JSON.stringify(report))
    return [
      { topic: 'sandbox/gzip/report', payload: gzipSync(json), retain: true },
      { topic: 'sandbox/zlib/report', payload: deflateSync(json), retain: true },
    ]
  }
}
