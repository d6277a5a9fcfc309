/**
 * The live recorders and the library, as the service sees them: starts a recorder for a
 * connection (its header from the profile and the connection state), feeds it from the
 * connection's message and state hooks, and tells the renderer about progress and the library.
 */
import { randomUUID } from 'node:crypto'
import type { IPublishPacket } from 'mqtt'
import { ApiError, isOfflineConnectionId, type ConnectionState, type EventName, type EventPayloads, type Profile, type RecorderState, type RecordStartParams, type TlsSessionReport } from '../../api'
import { filterMatches } from '../connections/topic-filter'
import { FORMAT_NAME, FORMAT_VERSION, type RecordingHeader } from './format'
import { Recorder, type OpenFileStream } from './recorder'
import { RecordingStore } from './recording-store'

const PROGRESS_INTERVAL_MS = 1000

export interface RecordingManagerOptions {
  dataDir: string
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
  profile(connectionId: string): Promise<Profile | undefined>
  connectionState(connectionId: string): ConnectionState | undefined
  /** The TLS session of the connection's current socket, as the TLS inspector saw it (none: not TLS, or not known). */
  tlsReport?(connectionId: string): TlsSessionReport | null
  appVersion?: string
  openStream?: OpenFileStream
}

interface Live {
  recorderId: string
  connectionId: string
  recorder: Recorder
  protocolVersion: number | undefined
  timer: NodeJS.Timeout | null
}

export class RecordingManager {
  readonly store: RecordingStore
  /** changed() calls so far, and the newest one's promise: a list is sent only by the newest. */
  private listCalls = 0
  private newestChange: Promise<void> = Promise.resolve()
  private readonly recorders = new Map<string, Live>()
  /** connectionId → its recording recorders: the message hook's one lookup. */
  private readonly byConnection = new Map<string, Live[]>()

  constructor(private readonly options: RecordingManagerOptions) {
    this.store = new RecordingStore(options.dataDir)
  }

  /** From the connection's message hook: one Map lookup when nothing records. */
  readonly onMessage = (connectionId: string, topic: string, payload: Buffer, packet: IPublishPacket, time: number): void => {
    const live = this.byConnection.get(connectionId)
    if (!live) return
    for (const l of live) l.recorder.message(topic, payload, packet, time, l.protocolVersion)
  }

  /** From the connection's state hook: a reconnect is a gap line. */
  readonly onState = (state: ConnectionState): void => {
    const live = this.byConnection.get(state.connectionId)
    if (!live) return
    for (const l of live) {
      if (state.status === 'connected') {
        l.protocolVersion = state.protocolVersion ?? l.protocolVersion
        l.recorder.connectionUp('reconnect')
      } else if (state.status === 'reconnecting' || state.status === 'offline' || state.status === 'error') {
        l.recorder.connectionDown()
      }
    }
  }

  async start(params: RecordStartParams): Promise<RecorderState> {
    if (isOfflineConnectionId(params.connectionId)) {
      throw new ApiError('OFFLINE_READ_ONLY', 'This is a recording opened offline, already on disk: record a live connection instead.')
    }
    const state = this.options.connectionState(params.connectionId)
    const profile = await this.options.profile(params.connectionId)
    if (!state || !profile || state.status !== 'connected') {
      throw new ApiError('MQTT_NOT_CONNECTED', 'Recording needs a connected connection: connect it first.')
    }
    const recorderId = randomUUID()
    const filters = params.filters ?? []
    const subscriptions = state.subscriptions
    const name = params.name ?? `${profile.name} ${new Date().toISOString()}`
    const live: Live = { recorderId, connectionId: params.connectionId, protocolVersion: state.protocolVersion, timer: null, recorder: null as unknown as Recorder }
    const recorder = new Recorder(
      {
        header: {
          format: FORMAT_NAME,
          version: FORMAT_VERSION,
          app: `MQTTS Explorer ${this.options.appVersion ?? ''}`.trim(),
          broker: { url: brokerUrl(profile), mqttVersion: state.protocolVersion ?? profile.protocolVersion, tls: profile.scheme === 'mqtts' || profile.scheme === 'wss' ? tlsSummary(profile.tls.verify, this.options.tlsReport?.(params.connectionId) ?? null) : null },
          client: { clientId: profile.clientId || undefined, clean: profile.cleanStart, keepalive: profile.keepalive, username: profile.username, sessionExpiryInterval: profile.sessionExpiryInterval },
          subscriptions: subscriptions.map((s) => ({ filter: s.filter, qos: s.qos })),
          filters,
          name,
        },
        filters,
        gzip: params.gzip ?? false,
        maxBytes: params.maxBytes,
        maxDurationMs: params.maxDurationMs,
        retainAsPublished: (topic) => subscriptions.some((s) => s.retainAsPublished && filterMatches(s.filter, topic)),
        openStream: this.options.openStream,
      },
      {
        nextFile: async () => {
          const file = await this.store.create(params.gzip ?? false)
          this.store.markWriting(file.id, true)
          return file
        },
        fileDone: async (file) => {
          this.store.markWriting(file.id, false)
          // The sidecar from a scan: the file is the truth (and a failure may have cut a line).
          const part = live.recorder.files.indexOf(file) + 1
          await this.store.rescan(file.id, file.path, part > 1 ? `${name} (part ${part})` : name).catch(() => undefined)
          await this.changed()
        },
        failed: () => this.finish(live),
      },
    )
    live.recorder = recorder
    await recorder.start()
    this.recorders.set(recorderId, live)
    const list = this.byConnection.get(params.connectionId) ?? []
    this.byConnection.set(params.connectionId, [...list, live])
    live.timer = setInterval(() => this.options.emit('recorder.progress', this.stateOf(live)), PROGRESS_INTERVAL_MS)
    live.timer.unref?.()
    await this.changed()
    return this.stateOf(live)
  }

  async stop(recorderId: string): Promise<RecorderState> {
    const live = this.recorders.get(recorderId)
    if (!live) throw new ApiError('RECORDING_NOT_FOUND', 'No such recorder: it may have stopped already.')
    await live.recorder.stop()
    this.finish(live)
    return this.stateOf(live)
  }

  list(): RecorderState[] {
    return [...this.recorders.values()].map((l) => this.stateOf(l))
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.recorders.keys()]) await this.stop(id).catch(() => undefined)
  }

  /**
   * Tells every window the library changed. A list takes a while (a stale summary is rebuilt by
   * reading its file), so two calls can finish out of order: only the newest call's list is
   * sent, or an older one arriving last would hide the recordings made in between. A call
   * overtaken so resolves once the newer list is sent, which holds its change too.
   */
  changed(): Promise<void> {
    const call = ++this.listCalls
    const sent: Promise<void> = this.store
      .list()
      .catch(() => [])
      .then((list) => {
        if (call === this.listCalls) this.options.emit('recordings.changed', list)
        else return this.newestChange
      })
    this.newestChange = sent
    return sent
  }

  private finish(live: Live): void {
    if (live.timer) clearInterval(live.timer)
    live.timer = null
    const rest = (this.byConnection.get(live.connectionId) ?? []).filter((l) => l !== live)
    if (rest.length > 0) this.byConnection.set(live.connectionId, rest)
    else this.byConnection.delete(live.connectionId)
    this.options.emit('recorder.progress', this.stateOf(live))
  }

  private stateOf(live: Live): RecorderState {
    const r = live.recorder
    return {
      recorderId: live.recorderId,
      connectionId: live.connectionId,
      recordingId: r.current?.id ?? '',
      recordingIds: r.files.map((f) => f.id),
      state: r.state,
      messages: r.messages,
      bytes: r.bytes,
      fileBytes: r.fileBytes,
      startedAt: r.startedAt,
      durationMs: r.durationMs,
      gaps: r.gaps,
      pending: r.pending,
      ...(r.error ? { error: r.error } : {}),
    }
  }
}

/** The broker's address without credentials (profiles never hold a password; the username stays out too). */
export function brokerUrl(profile: Profile): string {
  const base = `${profile.scheme}://${profile.host.includes(':') ? `[${profile.host}]` : profile.host}:${profile.port}`
  return profile.scheme === 'ws' || profile.scheme === 'wss' ? base + profile.path : base
}

/** The header's TLS summary: what a reader of the file needs to know about the session it came over. */
export function tlsSummary(verified: boolean, report: TlsSessionReport | null): NonNullable<RecordingHeader['broker']['tls']> {
  const leaf = report?.chain?.entries.find((e) => e.position === 0)
  return {
    verified,
    ...(report?.protocol ? { protocol: report.protocol } : {}),
    ...(report?.cipher ? { cipher: report.cipher.iana || report.cipher.openssl } : {}),
    ...(leaf ? { peerSubject: leaf.subject, peerFingerprint256: leaf.sha256 } : {}),
    ...(report?.verdict ? { trusted: report.verdict.trusted } : {}),
  }
}
