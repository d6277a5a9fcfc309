/**
 * Drives the Sandbox's demo data: publishes every topic once on start (so a new subscriber
 * sees a full tree from retained values straight away), then a handful of updates per tick,
 * plus a steady stream of raw CAN frames and periodic broker statistics, plus the sources with a
 * cadence of their own: camera frames, a Sparkplug B edge node, Protobuf, CBOR, MessagePack and
 * compressed telemetry, and smooth series to chart. One timer drives them all.
 */
import { DemoBinarySensors } from './demo-binary-sensors'
import { DemoCameras } from './demo-image'
import { DemoSeries } from './demo-series'
import { buildSignals, CAMERAS, seededRandom, type BrokerStats, type Random, type Signal } from './demo-signals'
import type { DemoSource, FeedMessage } from './demo-source'
import { DemoTelemetry } from './demo-telemetry-proto'
import { SparkplugEdgeNode, type EdgeNodeOptions } from './sparkplug-edge-node'

export type { FeedMessage } from './demo-source'

export interface DemoFeedOptions {
  /** Sends one message into the broker. Failures (e.g. broker closing) are ignored. */
  publish: (message: FeedMessage) => Promise<void>
  /** Numbers for the $SYS topics. */
  stats: () => BrokerStats
  /** Milliseconds between ticks; default 250. */
  intervalMs?: number
  /** Random updates per tick, on top of the CAN frame; default 3 (about 16 messages/s in all). */
  updatesPerTick?: number
  /** Seed for repeatable data; random per run when omitted. */
  seed?: number
  /** The Sparkplug edge node's cadence in ticks (tests shorten the device's outage cycle). */
  sparkplug?: Pick<EdgeNodeOptions, 'dataEvery' | 'deviceCycle' | 'deviceOffline'>
}

/** Ticks between two rounds of $SYS statistics (every 5 s at the default interval). */
const STATS_EVERY = 20

export class DemoFeed {
  private readonly options: DemoFeedOptions
  private readonly rnd: Random
  private readonly signals: Signal[]
  private readonly live: Signal[]
  private readonly can: Signal[]
  private readonly sys: Signal[]
  private readonly sources: DemoSource[]
  private timer?: NodeJS.Timeout
  private ticks = 0

  constructor(options: DemoFeedOptions) {
    this.options = options
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32)
    this.rnd = seededRandom(seed)
    this.signals = buildSignals(this.rnd, options.stats)
    this.sys = this.signals.filter((s) => s.topic.startsWith('$SYS/') && s.live)
    this.can = this.signals.filter((s) => s.topic.endsWith('/can'))
    this.live = this.signals.filter((s) => s.live && !this.sys.includes(s) && !this.can.includes(s))
    // A stream of its own, so adding a source does not change the catalogue's values for a seed.
    const rnd = seededRandom(seed ^ 0x5eed5eed)
    this.sources = [
      new DemoCameras({ ids: CAMERAS, typed: ['gate'], gif: ['gate'] }),
      new SparkplugEdgeNode({ rnd, ...options.sparkplug }),
      new DemoTelemetry({ rnd }),
      new DemoBinarySensors({ rnd }),
      new DemoSeries({ rnd }),
    ]
  }

  /** Every topic the feed publishes, for tests and documentation. */
  get topics(): string[] {
    return [...this.signals.map((s) => s.topic), ...this.sources.flatMap((s) => s.topics)]
  }

  /** Publishes the initial value of every topic, then starts ticking. Calling it again does nothing. */
  async start(): Promise<void> {
    if (this.timer) return
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 250)
    // Do not keep a CLI or test process alive just for demo data.
    this.timer.unref()
    const now = Date.now()
    await Promise.all([...this.signals.map((s) => this.sendSignal(s)), ...this.sources.flatMap((s) => guarded(() => s.initial(now))).map((m) => this.send(m))])
  }

  /**
   * Stops publishing, after the sources' last words (the edge node's NDEATH), which are awaited
   * so they reach the broker before it closes. Safe to call more than once.
   */
  async stop(): Promise<void> {
    const wasRunning = this.timer !== undefined
    clearInterval(this.timer)
    this.timer = undefined
    if (!wasRunning) return
    const now = Date.now()
    await Promise.all(this.sources.flatMap((s) => guarded(() => s.final?.(now) ?? [])).map((m) => this.send(m)))
  }

  /** A client subscribed (the broker's hook): a Sparkplug node re-births for it. */
  subscribed(filters: string[]): void {
    for (const source of this.sources) guarded(() => source.subscribed?.(filters))
  }

  /** A client published into the broker (the broker's hook): a Sparkplug NCMD, for instance. */
  received(topic: string, payload: Buffer): void {
    for (const source of this.sources) guarded(() => source.received?.(topic, payload))
  }

  private tick(): void {
    this.ticks++
    const batch: Signal[] = [this.can[this.ticks % this.can.length]]
    for (let i = 0; i < (this.options.updatesPerTick ?? 3); i++) batch.push(this.live[Math.floor(this.rnd() * this.live.length)])
    if (this.ticks % STATS_EVERY === 0) batch.push(...this.sys)
    for (const signal of batch) void this.sendSignal(signal)
    const now = Date.now()
    for (const source of this.sources) for (const message of guarded(() => source.tick(this.ticks, now))) void this.send(message)
  }

  private sendSignal(signal: Signal): Promise<void> {
    return this.send({ topic: signal.topic, payload: signal.next(), retain: signal.retain })
  }

  private async send(message: FeedMessage): Promise<void> {
    try {
      await this.options.publish(message)
    } catch {
      // The broker is shutting down; the feed is about to be stopped too.
    }
  }
}

/**
 * Runs a source's step; a source that throws loses that step, never the app: the feed runs in a
 * timer of the main process, where an uncaught error would end the whole app.
 */
function guarded<T>(step: () => T[] | T): T[] {
  try {
    const out = step()
    return Array.isArray(out) ? out : []
  } catch {
    return []
  }
}
