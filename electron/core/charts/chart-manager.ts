/**
 * ChartManager: every chart series of every connection, on the main side where the messages
 * are. A series is backfilled from its topic's stored history when added, then collects every
 * new message of that topic from the connection engine's tap, independent of the history limit,
 * up to MAX_SERIES_POINTS (the oldest dropped). Series are global (every window sees them),
 * survive reconnects, and go with their profile.
 *
 * The tap is on the hot path: with no series it returns after reading one Map's size, and a
 * message on a topic nobody charts costs two Map lookups. New points go out as `chart.points`
 * at most every FLUSH_MS per series, read from the ring, so a flood costs no event per message.
 */
import { randomUUID } from 'node:crypto'
import type { IPublishPacket } from 'mqtt'
import { ApiError, MAX_SERIES, MAX_SERIES_POINTS, type ChartPoints, type ChartSeriesInfo, type EventPayloads, type SeriesSource } from '../../api'
import type { DecodeContext } from '../decode/types'
import type { StoredMessage } from '../tree/topic-node'
import { PointRing } from './point-ring'
import { compileSource, extractNumber, MessageValues, type CompiledSource } from './value-extractor'

/** How often appended points are pushed (the event coalescer's window). */
export const FLUSH_MS = 50

export interface ChartManagerOptions {
  emit: <E extends 'chart.points' | 'chart.changed'>(name: E, payload: EventPayloads[E]) => void
  /** Whether a connection (profile) id exists: series of unknown connections are refused. */
  connectionKnown(connectionId: string): boolean | Promise<boolean>
  /** A topic's stored messages, newest first (TreeManager.storedMessages). */
  storedMessages(connectionId: string, topic: string, offset: number, limit: number): readonly StoredMessage[]
  /** The decode context of one message (the profile's rules, schemas, BIRTH lookup). */
  decodeContext(connectionId: string, topic: string, properties: Record<string, unknown> | undefined): DecodeContext
  /** Points kept per series (tests lower it). */
  maxPoints?: number
}

interface Series {
  readonly id: string
  readonly source: SeriesSource
  readonly label: string
  readonly compiled: CompiledSource
  readonly ring: PointRing
  backfilled: number
  skipped: number
  /** Index of the first point not yet pushed as an event. */
  emitted: number
}

export class ChartManager {
  private readonly series = new Map<string, Series>()
  /** connection → topic → its series: the tap's lookup. */
  private readonly taps = new Map<string, Map<string, Series[]>>()
  private readonly values = new MessageValues()
  private readonly maxPoints: number
  private timer: ReturnType<typeof setTimeout> | null = null
  /** When the pending flush should run (epoch ms). */
  private dueAt = 0
  /** A series' skipped count changed since the last `chart.changed`. */
  private infoDirty = false

  constructor(private readonly options: ChartManagerOptions) {
    this.maxPoints = options.maxPoints ?? MAX_SERIES_POINTS
  }

  /** The connection engine's message tap (after the tree's). */
  readonly onMessage = (connectionId: string, topic: string, payload: Buffer, packet: IPublishPacket, time: number): void => {
    if (this.taps.size === 0) return
    const list = this.taps.get(connectionId)?.get(topic)
    if (list === undefined) return
    this.collect(list, connectionId, topic, payload, packet.properties as Record<string, unknown> | undefined, time)
    // While a flood keeps the event loop busy, timers fire late: flush inline once overdue, so
    // the chart still hears about every interval (the message's own clock reading, no extra one).
    if (this.timer !== null && time >= this.dueAt + FLUSH_MS) {
      clearTimeout(this.timer)
      this.flush()
      return
    }
    this.schedule()
  }

  list(): ChartSeriesInfo[] {
    return [...this.series.values()].map(infoOf)
  }

  /** Adds a series (or returns the one charting exactly that source), backfilled from the stored history. */
  async add(source: SeriesSource, label?: string): Promise<ChartSeriesInfo> {
    const compiled = compileSource(source)
    if (!(await this.options.connectionKnown(source.connectionId))) {
      throw new ApiError('NOT_FOUND', 'That connection no longer exists: open its profile again and add the series there.')
    }
    const same = [...this.series.values()].find((s) => sameSource(s.source, source))
    if (same !== undefined) return infoOf(same)
    if (this.series.size >= MAX_SERIES) {
      throw new ApiError('CHART_LIMIT', `Charts hold at most ${MAX_SERIES} series: remove one before adding another.`)
    }
    const series: Series = {
      id: randomUUID(),
      source,
      label: label?.trim() || defaultLabel(source),
      compiled,
      ring: new PointRing(this.maxPoints),
      backfilled: 0,
      skipped: 0,
      emitted: 0,
    }
    // Backfill and attach in one synchronous step: no message can fall between the two.
    this.backfill(series)
    series.emitted = series.ring.nextIndex
    this.series.set(series.id, series)
    let topics = this.taps.get(source.connectionId)
    if (topics === undefined) this.taps.set(source.connectionId, (topics = new Map()))
    const list = topics.get(source.topic)
    if (list === undefined) topics.set(source.topic, [series])
    else list.push(series)
    this.changed()
    return infoOf(series)
  }

  remove(seriesId: string): void {
    const series = this.get(seriesId)
    this.series.delete(seriesId)
    this.detach(series)
    this.changed()
  }

  /** Drops a series' points (indexes go on) and keeps collecting. */
  reset(seriesId: string): ChartSeriesInfo {
    const series = this.get(seriesId)
    series.ring.clear()
    series.emitted = series.ring.nextIndex
    series.backfilled = 0
    series.skipped = 0
    this.changed()
    return infoOf(series)
  }

  /**
   * The connection's messages start over (a recording opened offline went back in time): its
   * series drop their points and collect them again as the messages come, as a replay would.
   */
  connectionRewound(connectionId: string): void {
    this.restartSeries(connectionId, false)
  }

  points(seriesId: string, from: number, maxPoints: number): ChartPoints {
    const series = this.get(seriesId)
    return { seriesId, ...series.ring.range(from, maxPoints) }
  }

  /** The profile was deleted: its series go too. */
  dropConnection(connectionId: string): void {
    let dropped = false
    for (const series of [...this.series.values()]) {
      if (series.source.connectionId !== connectionId) continue
      this.series.delete(series.id)
      dropped = true
    }
    this.taps.delete(connectionId)
    if (dropped) this.changed()
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private get(seriesId: string): Series {
    const series = this.series.get(seriesId)
    if (series === undefined) throw new ApiError('NOT_FOUND', 'That chart series no longer exists (it was removed, maybe in another window).')
    return series
  }

  private detach(series: Series): void {
    const topics = this.taps.get(series.source.connectionId)
    const list = topics?.get(series.source.topic)
    if (topics === undefined || list === undefined) return
    const rest = list.filter((s) => s !== series)
    if (rest.length > 0) topics.set(series.source.topic, rest)
    else topics.delete(series.source.topic)
    if (topics.size === 0) this.taps.delete(series.source.connectionId)
  }

  /**
   * The connection's tree took its last messages back (a recording opened offline stepped back
   * by undo): its series hold again what the tree's history holds, as when they were added.
   */
  connectionUndone(connectionId: string): void {
    this.restartSeries(connectionId, true)
  }

  /** Empties the connection's series; with `fromHistory`, fills them again from what the tree's history holds. */
  private restartSeries(connectionId: string, fromHistory: boolean): void {
    let any = false
    for (const series of this.series.values()) {
      if (series.source.connectionId !== connectionId) continue
      series.ring.clear()
      series.emitted = series.ring.nextIndex
      series.backfilled = 0
      series.skipped = 0
      if (fromHistory) this.backfill(series)
      any = true
    }
    if (any) this.changed()
  }

  private backfill(series: Series): void {
    const { connectionId, topic } = series.source
    const stored = this.options.storedMessages(connectionId, topic, 0, this.maxPoints)
    for (let i = stored.length - 1; i >= 0; i--) {
      const message = stored[i]
      // A payload cut by the history's size cap is not the number that was sent.
      if (message.truncated) {
        series.skipped++
        continue
      }
      const payload = message.data.subarray(message.offset, message.offset + message.length)
      this.values.reset(payload, () => this.options.decodeContext(connectionId, topic, message.properties))
      const value = extractNumber(series.compiled, this.values)
      if (value === undefined) series.skipped++
      else {
        series.ring.push(message.time, value)
        series.backfilled++
      }
    }
  }

  private collect(list: readonly Series[], connectionId: string, topic: string, payload: Buffer, properties: Record<string, unknown> | undefined, time: number): void {
    this.values.reset(payload, () => this.options.decodeContext(connectionId, topic, properties))
    for (const series of list) {
      const value = extractNumber(series.compiled, this.values)
      if (value === undefined) {
        series.skipped++
        this.infoDirty = true
      } else {
        series.ring.push(time, value)
      }
    }
  }

  private schedule(): void {
    if (this.timer !== null) return
    this.dueAt = Date.now() + FLUSH_MS
    this.timer = setTimeout(() => this.flush(), FLUSH_MS)
    this.timer.unref?.()
  }

  private flush(): void {
    this.timer = null
    for (const series of this.series.values()) {
      const { ring } = series
      if (ring.nextIndex <= series.emitted) continue
      const points = ring.range(series.emitted, this.maxPoints)
      series.emitted = points.nextIndex
      this.options.emit('chart.points', { seriesId: series.id, ...points })
    }
    if (this.infoDirty) this.changed()
  }

  private changed(): void {
    this.infoDirty = false
    this.options.emit('chart.changed', this.list())
  }
}

function infoOf(series: Series): ChartSeriesInfo {
  return {
    seriesId: series.id,
    source: series.source,
    label: series.label,
    firstIndex: series.ring.firstIndex,
    nextIndex: series.ring.nextIndex,
    backfilled: series.backfilled,
    skipped: series.skipped,
  }
}

function sameSource(a: SeriesSource, b: SeriesSource): boolean {
  return a.connectionId === b.connectionId && a.topic === b.topic && a.pointer === b.pointer && a.sparkplugMetric === b.sparkplugMetric && a.numberFormat === b.numberFormat
}

function defaultLabel(source: SeriesSource): string {
  if (source.sparkplugMetric !== undefined) return `${source.topic} · ${source.sparkplugMetric}`
  if (source.numberFormat !== undefined) return `${source.topic} (${source.numberFormat})`
  return source.pointer === '' ? source.topic : `${source.topic} ${source.pointer}`
}

