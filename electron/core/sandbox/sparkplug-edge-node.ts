/**
 * A Sparkplug B edge node with one device, written with the published Sparkplug B schema
 * (core/decode/sparkplug/schema.ts), so the inspector has real BIRTH/DATA/DEATH traffic:
 *
 * - NBIRTH and DBIRTH name every metric with an alias and a datatype; NDATA and DDATA carry
 *   aliases only (no names, no datatypes, as Sparkplug 3.0 recommends), so a reader must resolve
 *   them from the BIRTHs.
 * - One `seq` counter for the node and its device, 0 at each NBIRTH, wrapping 255 → 0.
 * - The device goes offline (DDEATH) for a while every few minutes and comes back (DBIRTH).
 * - NDEATH, with the NBIRTH's bdSeq, is published when the feed stops: an in-process node has no
 *   socket to leave a will on, and the broker goes down with it.
 *
 * BIRTHs are not retained (Sparkplug forbids it). A subscriber that joins late would then see
 * DATA it cannot name, so the node re-births, as a Sparkplug host application would ask it to
 * with an NCMD "Node Control/Rebirth": on that NCMD, and whenever a client subscribes with a
 * filter that covers the node's topics. A late explorer so gets both BIRTHs right after SUBACK.
 */
import { sparkplugPayloadType } from '../decode/sparkplug/schema'
import { walk, type Random } from './demo-signals'
import { filterMatches, type DemoSource, type FeedMessage } from './demo-source'

/** Sparkplug B datatype codes used here (specification §6.4.16). */
const DT = { Int32: 3, Int64: 4, UInt64: 8, Float: 9, Double: 10, Boolean: 11, String: 12, DateTime: 13 } as const
type Datatype = (typeof DT)[keyof typeof DT]
type Value = number | boolean | string

export interface EdgeNodeOptions {
  rnd: Random
  group?: string
  node?: string
  device?: string
  /** Feed ticks between two NDATA (and two DDATA); default 4 (1 s at the feed's 250 ms). */
  dataEvery?: number
  /** Feed ticks from one device outage to the next; default 720 (3 min). */
  deviceCycle?: number
  /** Feed ticks the device stays offline; default 60 (15 s). */
  deviceOffline?: number
}

interface MetricDef {
  name: string
  alias: number
  datatype: Datatype
  read(now: number): Value
}

/** Metric numbers stay below 2^53 here; 64-bit values beyond that are shown by the Protobuf and CBOR topics. */
export class SparkplugEdgeNode implements DemoSource {
  readonly group: string
  readonly node: string
  readonly device: string
  private readonly dataEvery: number
  private readonly deviceCycle: number
  private readonly deviceOffline: number
  private readonly nodeMetrics: MetricDef[]
  private readonly deviceMetrics: MetricDef[]
  private readonly bornAt: number
  /** Birth/death sequence: pairs an NBIRTH with its NDEATH. One per feed run. */
  private readonly bdSeq = 0
  private seq = 0
  private deviceOnline = true
  private rebirthPending = false
  private running = true
  private cycles = 0
  private lastCycle = 0
  private motorRunning = true
  private readonly rnd: Random

  constructor(options: EdgeNodeOptions) {
    const { rnd } = options
    this.rnd = rnd
    this.group = options.group ?? 'Sandbox'
    this.node = options.node ?? 'edge-01'
    this.device = options.device ?? 'plc-01'
    this.dataEvery = Math.max(2, options.dataEvery ?? 4)
    this.deviceCycle = options.deviceCycle ?? 720
    this.deviceOffline = options.deviceOffline ?? 60
    this.bornAt = Date.now()
    this.lastCycle = this.bornAt
    const cpu = walk(rnd, 18, 2, 95, 3)
    const temperature = walk(rnd, 48 + rnd() * 10, 20, 95, 0.4)
    const pressure = walk(rnd, 5, 1, 9, 0.08)
    const speed = walk(rnd, 1450, 0, 3000, 30)
    const offset = walk(rnd, 0, -50, 50, 4)
    this.nodeMetrics = [
      { name: 'Node Control/Rebirth', alias: 1, datatype: DT.Boolean, read: () => false },
      { name: 'Properties/Hardware', alias: 2, datatype: DT.String, read: () => 'Sandbox Edge Gateway EG-100' },
      { name: 'Properties/Firmware', alias: 3, datatype: DT.String, read: () => '2.4.1' },
      { name: 'Uptime', alias: 4, datatype: DT.Int64, read: (now) => now - this.bornAt },
      { name: 'CPU Load', alias: 5, datatype: DT.Float, read: () => Math.round(cpu() * 10) / 10 },
    ]
    this.deviceMetrics = [
      { name: 'Temperature', alias: 10, datatype: DT.Double, read: () => Math.round(temperature() * 100) / 100 },
      { name: 'Pressure', alias: 11, datatype: DT.Float, read: () => Math.round(pressure() * 100) / 100 },
      { name: 'Motor/Speed', alias: 12, datatype: DT.Int32, read: () => (this.motorRunning ? Math.round(speed()) : 0) },
      { name: 'Motor/Running', alias: 13, datatype: DT.Boolean, read: () => this.motorRunning },
      { name: 'Status', alias: 14, datatype: DT.String, read: () => (this.motorRunning ? 'RUNNING' : 'IDLE') },
      { name: 'Setpoint Offset', alias: 15, datatype: DT.Int32, read: () => Math.round(offset()) },
      { name: 'Cycle Count', alias: 16, datatype: DT.UInt64, read: () => this.cycles },
      { name: 'Last Cycle', alias: 17, datatype: DT.DateTime, read: () => this.lastCycle },
    ]
  }

  /** The topic of a message type: `spBv1.0/<group>/<type>/<node>[/<device>]`. */
  topic(type: 'NBIRTH' | 'NDATA' | 'NDEATH' | 'NCMD' | 'DBIRTH' | 'DDATA' | 'DDEATH'): string {
    const base = `spBv1.0/${this.group}/${type}/${this.node}`
    return type.startsWith('D') ? `${base}/${this.device}` : base
  }

  get topics(): string[] {
    return (['NBIRTH', 'NDATA', 'NDEATH', 'DBIRTH', 'DDATA', 'DDEATH'] as const).map((t) => this.topic(t))
  }

  initial(now: number): FeedMessage[] {
    return this.births(now)
  }

  tick(tick: number, now: number): FeedMessage[] {
    if (!this.running) return []
    const out: FeedMessage[] = []
    if (this.rebirthPending) {
      this.rebirthPending = false
      out.push(...this.births(now))
    }
    const phase = tick % this.deviceCycle
    if (this.deviceOnline && phase === this.deviceCycle - this.deviceOffline) {
      this.deviceOnline = false
      out.push(this.message('DDEATH', { timestamp: now, seq: this.nextSeq() }))
    } else if (!this.deviceOnline && phase === 0) {
      this.deviceOnline = true
      out.push(this.deviceBirth(now))
    }
    if (tick % this.dataEvery === 0) out.push(this.nodeData(now))
    if (this.deviceOnline && tick % this.dataEvery === this.dataEvery >> 1) out.push(this.deviceData(now))
    return out
  }

  final(now: number): FeedMessage[] {
    if (!this.running) return []
    this.running = false
    // NDEATH has no seq; its bdSeq says which NBIRTH it ends.
    return [this.message('NDEATH', { timestamp: now, metrics: [{ name: 'bdSeq', datatype: DT.Int64, long_value: this.bdSeq }] })]
  }

  subscribed(filters: string[]): void {
    if (filters.some((f) => filterMatches(f, this.topic('NBIRTH')))) this.rebirthPending = true
  }

  received(topic: string, payload: Buffer): void {
    if (topic !== this.topic('NCMD')) return
    let decoded: { metrics?: { name?: string; alias?: unknown; boolean_value?: boolean }[] }
    try {
      decoded = sparkplugPayloadType().toObject(sparkplugPayloadType().decode(payload), { longs: Number }) as typeof decoded
    } catch {
      return // Not a Sparkplug payload: a real node ignores it too.
    }
    const rebirth = decoded.metrics?.some((m) => (m.name === 'Node Control/Rebirth' || m.alias === 1) && m.boolean_value === true)
    if (rebirth) this.rebirthPending = true
  }

  private births(now: number): FeedMessage[] {
    this.seq = 0
    const node = this.message('NBIRTH', {
      timestamp: now,
      seq: this.nextSeq(),
      metrics: [
        { name: 'bdSeq', datatype: DT.Int64, timestamp: now, long_value: this.bdSeq },
        ...this.nodeMetrics.map((m) => metric(m, now, true)),
      ],
    })
    return this.deviceOnline ? [node, this.deviceBirth(now)] : [node]
  }

  private deviceBirth(now: number): FeedMessage {
    return this.message('DBIRTH', { timestamp: now, seq: this.nextSeq(), metrics: this.deviceMetrics.map((m) => metric(m, now, true)) })
  }

  private nodeData(now: number): FeedMessage {
    const changed = this.nodeMetrics.filter((m) => m.alias === 4 || m.alias === 5)
    return this.message('NDATA', { timestamp: now, seq: this.nextSeq(), metrics: changed.map((m) => metric(m, now, false)) })
  }

  private deviceData(now: number): FeedMessage {
    // Report by exception, like a PLC gateway: the analog values always, the rest when they change.
    const toggled = this.rnd() < 0.03
    if (toggled) this.motorRunning = !this.motorRunning
    const cycled = this.motorRunning && now - this.lastCycle >= 4000
    if (cycled) {
      this.cycles++
      this.lastCycle = now
    }
    const sent = this.deviceMetrics.filter((m) => [10, 11, 12, 15].includes(m.alias) || (toggled && (m.alias === 13 || m.alias === 14)) || (cycled && m.alias >= 16))
    return this.message('DDATA', { timestamp: now, seq: this.nextSeq(), metrics: sent.map((m) => metric(m, now, false)) })
  }

  private nextSeq(): number {
    const seq = this.seq
    this.seq = (this.seq + 1) % 256
    return seq
  }

  private message(type: Parameters<SparkplugEdgeNode['topic']>[0], payload: Record<string, unknown>): FeedMessage {
    const type_ = sparkplugPayloadType()
    const bytes = type_.encode(type_.fromObject(payload)).finish()
    return { topic: this.topic(type), payload: Buffer.from(bytes), retain: false }
  }
}

/** One metric: in a BIRTH with name, alias and datatype; in DATA by alias alone. */
function metric(def: MetricDef, now: number, birth: boolean): Record<string, unknown> {
  const head = birth ? { name: def.name, alias: def.alias, datatype: def.datatype } : { alias: def.alias }
  return { ...head, timestamp: now, ...valueField(def.datatype, def.read(now)) }
}

function valueField(datatype: Datatype, value: Value): Record<string, Value> {
  switch (datatype) {
    // Signed 32-bit values travel as their two's-complement uint32.
    case DT.Int32: return { int_value: (value as number) >>> 0 }
    case DT.Int64: case DT.UInt64: case DT.DateTime: return { long_value: value }
    case DT.Float: return { float_value: value }
    case DT.Double: return { double_value: value }
    case DT.Boolean: return { boolean_value: value }
    case DT.String: return { string_value: value }
  }
}
