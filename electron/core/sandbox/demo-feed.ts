/**
 * Drives the Sandbox's demo data: publishes every topic once on start (so a new subscriber
 * sees a full tree from retained values straight away), then a handful of updates per tick,
 * plus a steady stream of raw CAN frames and periodic broker statistics.
 */
import { buildSignals, seededRandom, type BrokerStats, type Random, type Signal } from './demo-signals'

/** One message for the broker. */
export interface FeedMessage {
  topic: string
  payload: Buffer
  retain: boolean
}

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
  private timer?: NodeJS.Timeout
  private ticks = 0

  constructor(options: DemoFeedOptions) {
    this.options = options
    this.rnd = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32))
    this.signals = buildSignals(this.rnd, options.stats)
    this.sys = this.signals.filter((s) => s.topic.startsWith('$SYS/') && s.live)
    this.can = this.signals.filter((s) => s.topic.endsWith('/can'))
    this.live = this.signals.filter((s) => s.live && !this.sys.includes(s) && !this.can.includes(s))
  }

  /** Every topic the feed publishes, for tests and documentation. */
  get topics(): string[] {
    return this.signals.map((s) => s.topic)
  }

  /** Publishes the initial value of every topic, then starts ticking. Calling it again does nothing. */
  async start(): Promise<void> {
    if (this.timer) return
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 250)
    // Do not keep a CLI or test process alive just for demo data.
    this.timer.unref()
    await Promise.all(this.signals.map((s) => this.send(s)))
  }

  /** Stops publishing. Safe to call more than once. */
  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private tick(): void {
    this.ticks++
    const batch: Signal[] = [this.can[this.ticks % this.can.length]]
    for (let i = 0; i < (this.options.updatesPerTick ?? 3); i++) batch.push(this.live[Math.floor(this.rnd() * this.live.length)])
    if (this.ticks % STATS_EVERY === 0) batch.push(...this.sys)
    for (const signal of batch) void this.send(signal)
  }

  private async send(signal: Signal): Promise<void> {
    try {
      await this.options.publish({ topic: signal.topic, payload: signal.next(), retain: signal.retain })
    } catch {
      // The broker is shutting down; the feed is about to be stopped too.
    }
  }
}
