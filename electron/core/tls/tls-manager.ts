/**
 * The TLS session inspector's engine: it watches every TLS socket the connection engine opens
 * (through the ConnectionManager hooks, wired in core/service.ts), keeps the last reports of
 * each connection (failed attempts included, so a failing connection can be explained), records
 * the handshake history, enforces pins and feeds the opt-in key log. Its `tls.*` methods are in
 * service.ts.
 *
 * It never judges the broker's certificate itself: the connection engine already does (see
 * transport.ts), so a rejection is raised once, with the engine's sentence.
 */
import { stat, mkdir } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { TLSSocket } from 'node:tls'
import {
  ApiError,
  MAX_ALPN_PROTOCOLS,
  TlsProbeParams,
  type EventName,
  type EventPayloads,
  type KeyLogState,
  type Pin,
  type PinMismatchDetail,
  type ProbeResult,
  type TlsSessionReport,
} from '../../api'
import type { ConnackDetails } from '../../api/tls'
import type { Notice } from '../../api/notices'
import { captureTlsSession, type CaptureContext, type TlsCapture } from './capture'
import { alpnOffered } from './classify-error'
import { HandshakeHistory } from './handshake-history'
import { KeyLogRegistry } from './key-log'
import { normalizeFingerprint, PinStore } from './pinning'
import { probeTls } from './probe'
import type { TlsSocketInfo } from './socket-info'

/** When the handshake and CONNACK completed (the connection engine's ConnectTimings fit). */
type ConnackTimings = Parameters<TlsCapture['noteConnack']>[0]

/** Reports kept per connection for the timings table; older ones live on in the history file. */
const REPORTS_KEPT = 20

export interface TlsManagerOptions {
  dataDir: string
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
}

interface Tracked {
  capture: TlsCapture
  ctx: CaptureContext
  protocolVersion: TlsSocketInfo['protocolVersion']
}

export class TlsManager {
  private readonly keyLogs = new KeyLogRegistry()
  /** Connections a key log was turned on for (the registry only answers per id). */
  private readonly keyLogIds = new Set<string>()
  /** Newest last. */
  private readonly reports = new Map<string, TlsSessionReport[]>()
  /** The latest socket's capture per connection: CONNACKs and probes refer to it. */
  private readonly latest = new Map<string, Tracked>()

  private constructor(
    private readonly options: TlsManagerOptions,
    private readonly pins: PinStore,
    private readonly history: HandshakeHistory,
  ) {}

  static async open(options: TlsManagerOptions): Promise<TlsManager> {
    return new TlsManager(options, await PinStore.open(options.dataDir), new HandshakeHistory(options.dataDir))
  }

  /** Damaged pin or history files found so far, each a sentence saying where the file was kept. */
  get warnings(): string[] {
    return [...this.pins.warnings, ...this.history.warnings]
  }

  /** The same warnings with their codes (same order). */
  get warningNotices(): Notice[] {
    return [...this.pins.warningNotices, ...this.history.warningNotices]
  }

  /** ConnectionManager hook: runs synchronously before the handshake of every TLS socket. */
  readonly onTlsSocket = (connectionId: string, socket: TLSSocket, attempt: number, info?: TlsSocketInfo): void => {
    if (!info) return
    const ctx = contextFor(connectionId, attempt, info)
    let recorded = false
    const capture = captureTlsSession(socket, ctx, {
      // The connection id is the profile id: pins belong to the profile.
      pin: this.pins.get(connectionId),
      keyLog: this.keyLogs.sinkFor(connectionId),
      onReport: (report) => {
        this.remember(connectionId, report)
        if (recorded) return this.options.emit('tls.report', report)
        recorded = true
        // A late TLS 1.3 alert re-reports the same handshake: record it in the history once.
        this.history.add(connectionId, report).then(
          (record) => {
            if (record) report.leafChange = record.change
            this.options.emit('tls.report', report)
          },
          () => this.options.emit('tls.report', report),
        )
      },
    })
    this.latest.set(connectionId, { capture, ctx, protocolVersion: info.protocolVersion })
  }

  /**
   * ConnectionManager hook: the broker accepted the session; add CONNACK and its timing.
   * `connack` turns the packet into the panel's data for the socket's protocol version: the
   * connection engine knows MQTT packets, this side only TLS.
   */
  readonly onConnack = (connectionId: string, timings: ConnackTimings, connack: (protocolVersion: TlsSocketInfo['protocolVersion']) => ConnackDetails): void => {
    const tracked = this.latest.get(connectionId)
    if (!tracked) return
    tracked.capture.noteConnack(timings)
    const report = tracked.capture.report()
    if (!report) return
    report.connack = connack(tracked.protocolVersion)
    this.options.emit('tls.report', report)
  }

  /** The newest report of a connection, or null. */
  report(connectionId: string): TlsSessionReport | null {
    const list = this.reports.get(connectionId)
    return list?.[list.length - 1] ?? null
  }

  /** Every kept report of a connection, newest first. */
  attempts(connectionId: string): TlsSessionReport[] {
    return [...(this.reports.get(connectionId) ?? [])].reverse()
  }

  /** The profile's recorded handshakes (the history file), newest first. */
  handshakes(profileId: string, limit?: number): ReturnType<HandshakeHistory['list']> {
    return this.history.list(profileId, limit)
  }

  /** The profile's pin, or null. */
  pinState(profileId: string): Pin | null {
    return this.pins.get(profileId)
  }

  /** Removes the profile's pin. */
  unpin(profileId: string): Promise<void> {
    return this.pins.remove(profileId)
  }

  /** Pins a fingerprint for the profile. */
  pin(profileId: string, kind: Pin['kind'], sha256: string): Promise<Pin> {
    return this.pins.set(profileId, this.makePin(profileId, kind, sha256))
  }

  /** Trusts the certificate a pin last blocked on this profile. */
  async trustNew(profileId: string): Promise<Pin> {
    const detail = this.lastPinMismatch(profileId)
    if (!detail) throw new ApiError('NOT_FOUND', 'No blocked certificate to trust: this is for when a pin stopped the connection — connect, then choose "Trust the new certificate".')
    return this.pins.trustPresented(profileId, detail)
  }

  /** Turns a connection's key log on (to `path`) or off (`null`); answers with the file used. */
  async setKeyLog(connectionId: string, path: string | null): Promise<{ path: string | null }> {
    if (path === null) {
      this.keyLogs.disable(connectionId)
      this.keyLogIds.delete(connectionId)
      return { path: null }
    }
    const file = await this.checkKeyLogPath(path)
    this.keyLogs.enable(connectionId, file)
    this.keyLogIds.add(connectionId)
    return { path: file }
  }

  /** Probes the broker of the connection's latest TLS socket; progress goes out as `tls.probeProgress`. */
  async probe(connectionId: string, probeId: string): Promise<ProbeResult> {
    const tracked = this.latest.get(connectionId)
    if (!tracked) throw new ApiError('NOT_FOUND', 'This connection has not opened a TLS connection yet — connect it once, then run the probe.')
    const { ctx } = tracked
    const params = TlsProbeParams.parse({
      host: ctx.host,
      port: ctx.port,
      servername: ctx.servername,
      // What the profile offers first, then the usual MQTT ones.
      alpn: [...new Set([...ctx.alpnOffered, 'mqtt', 'x-amzn-mqtt-ca', 'http/1.1'])].slice(0, MAX_ALPN_PROTOCOLS),
      ca: ctx.caUsed ?? [],
    })
    return probeTls(params, (p) => this.options.emit('tls.probeProgress', { probeId, ...p }))
  }

  /** Connections whose key log is on: drives the "Key log ON" indicators. */
  keyLogStates(): KeyLogState[] {
    return [...this.keyLogIds].flatMap((connectionId) => {
      const path = this.keyLogs.pathOf(connectionId)
      return path ? [{ connectionId, path }] : []
    })
  }

  /** Closes key log files (app shutdown). */
  /** Closes the key logs and waits for handshake records still being written (a record cut by shutdown is lost). */
  async close(): Promise<void> {
    this.keyLogs.closeAll()
    await this.history.flush()
  }

  private remember(connectionId: string, report: TlsSessionReport): void {
    const list = this.reports.get(connectionId) ?? []
    if (!list.includes(report)) list.push(report)
    if (list.length > REPORTS_KEPT) list.splice(0, list.length - REPORTS_KEPT)
    this.reports.set(connectionId, list)
  }

  private lastPinMismatch(profileId: string): PinMismatchDetail | null {
    const list = this.reports.get(profileId) ?? []
    for (let i = list.length - 1; i >= 0; i--) {
      const error = list[i].error
      if (error?.code === 'TLS_PIN_MISMATCH' && error.detail) return error.detail as unknown as PinMismatchDetail
    }
    return null
  }

  private makePin(profileId: string, kind: Pin['kind'], sha256: string): Pin {
    const wanted = normalizeFingerprint(sha256)
    // Keep the subject for the UI when the fingerprint is one this connection has seen.
    const leaf = [...(this.reports.get(profileId) ?? [])].reverse().map((r) => r.chain?.entries[0]).find((e) => e && normalizeFingerprint(kind === 'leaf' ? e.sha256 : e.spkiSha256) === wanted)
    return { kind, sha256: wanted, pinnedAt: Date.now(), subject: leaf?.subject ?? '' }
  }

  /** A key log path must be absolute and its folder must exist (the app's own keylogs folder is created). */
  private async checkKeyLogPath(path: string): Promise<string> {
    if (!isAbsolute(path)) throw new ApiError('BAD_REQUEST', `"${path}" is not a full path — enter the key log file's complete path, e.g. ${join(this.options.dataDir, 'keylogs', 'broker.keys')}.`)
    const file = resolve(path)
    const folder = dirname(file)
    const own = join(this.options.dataDir, 'keylogs')
    if (folder === own) await mkdir(own, { recursive: true, mode: 0o700 })
    const info = await stat(folder).catch(() => null)
    if (!info?.isDirectory()) throw new ApiError('BAD_REQUEST', `The folder ${folder} does not exist — create it first or choose another place for the key log.`)
    return file
  }
}

function contextFor(connectionId: string, attempt: number, info: TlsSocketInfo): CaptureContext {
  const o = info.tls.options
  const ca = o.ca === undefined ? null : (Array.isArray(o.ca) ? o.ca : [o.ca]).map((c) => (typeof c === 'string' ? c : c.toString('utf8')))
  return {
    connectionId,
    attempt,
    host: info.host,
    port: info.port,
    // The name the certificate is checked against (SNI override, else the host).
    servername: info.tls.verifyName,
    alpnOffered: alpnOffered(info.tls) ?? [],
    caUsed: ca,
    verify: info.tls.verify,
    ocspRequested: (o as { requestOCSP?: boolean }).requestOCSP === true,
    clientCertPresented: info.tls.clientCertSent,
    minVersion: o.minVersion,
    maxVersion: o.maxVersion,
    websocket: info.websocket,
  }
}
