/**
 * The recordings opened offline, each a read-only connection (`offline:<recordingId>`) whose
 * tree follows its timeline (offline-recording.ts). Opening one twice gives the same
 * connection. Its state goes out as `offline.state` at most every STATE_INTERVAL_MS while it
 * changes, plus once when a move, play or the indexing ends; it is listed among the connections
 * (status `connected`, `offline` set) from open to close, and `connections.state` says so on
 * both ends.
 */
import { ApiError, OFFLINE_PREFIX, type ConnectionState, type EventPayloads, type OfflineState, type RecordingInfo } from '../../api'
import type { IPublishPacket } from 'mqtt'
import { OfflineRecording } from './offline-recording'
import { packetOf } from './recorded-packet'
import type { UndoneMessage } from '../tree/undo-log'

/** `offline.state` events per recording while it changes: about 10 a second. */
export const STATE_INTERVAL_MS = 100

export interface OfflineManagerOptions {
  /** The library (RecordingStore): RECORDING_NOT_FOUND for an unknown id. */
  recordings: { info(id: string): Promise<RecordingInfo>; path(id: string): Promise<string> }
  emit: <E extends 'offline.state' | 'connections.state'>(name: E, payload: EventPayloads[E]) => void
  /** The connection's message tap (tree, charts), handed each recorded message as mqtt.js would, at its recorded wall clock. */
  onMessage(connectionId: string, topic: string, payload: Buffer, packet: IPublishPacket, time: number): void
  /** The connection's tree is emptied before a backward move. */
  onClear(connectionId: string): void
  /** Takes the tree's last `count` messages back, newest first (fewer when it must stop): a short backward move without a re-read. */
  onUndo?(connectionId: string, count: number): UndoneMessage[]
  /** Puts a message onUndo took back into the tree again. */
  onRedo?(connectionId: string, message: UndoneMessage): void
  /** The recording was closed: its tree and what hangs on it go. */
  onClose(connectionId: string): void
  stateIntervalMs?: number
}

interface Opened {
  recording: OfflineRecording
  since: number
  lastEmit: number
  timer: ReturnType<typeof setTimeout> | null
}

export class OfflineManager {
  private readonly opened = new Map<string, Opened>()
  private readonly opening = new Map<string, Promise<Opened>>()

  constructor(private readonly options: OfflineManagerOptions) {}

  has(connectionId: string): boolean {
    return this.opened.has(connectionId)
  }

  /** Opens a recording (or finds it open): indexing and the tree's filling start, the state answers at once. */
  async open(recordingId: string): Promise<OfflineState> {
    const connectionId = OFFLINE_PREFIX + recordingId
    const known = this.opened.get(connectionId)
    if (known !== undefined) return known.recording.state()
    let pending = this.opening.get(connectionId)
    if (pending === undefined) {
      pending = this.start(connectionId, recordingId)
      this.opening.set(connectionId, pending)
      void pending.finally(() => this.opening.delete(connectionId)).catch(() => {})
    }
    return (await pending).recording.state()
  }

  /** The recording behind an offline connection id, or RECORDING_NOT_FOUND. */
  get(connectionId: string): OfflineRecording {
    const opened = this.opened.get(connectionId)
    if (opened === undefined) throw new ApiError('RECORDING_NOT_FOUND', 'That recording is not open offline (it was closed, maybe in another window): open it again from the library.')
    return opened.recording
  }

  /** The open recordings as connections, for `connections.list`. */
  connectionStates(): ConnectionState[] {
    return [...this.opened.values()].map((o) => this.connectionState(o, 'connected'))
  }

  /** Closes a recording: its tree goes and its tab closes (`connections.state` disconnected). */
  async close(connectionId: string): Promise<ConnectionState> {
    const opened = this.opened.get(connectionId)
    if (opened === undefined) throw new ApiError('RECORDING_NOT_FOUND', 'That recording is not open offline: there is nothing to close.')
    this.opened.delete(connectionId)
    if (opened.timer) clearTimeout(opened.timer)
    await opened.recording.close()
    this.options.onClose(connectionId)
    const state = this.connectionState(opened, 'disconnected')
    this.options.emit('connections.state', state)
    return state
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.opened.keys()].map((id) => this.close(id)))
  }

  private async start(connectionId: string, recordingId: string): Promise<Opened> {
    const info = await this.options.recordings.info(recordingId)
    const path = await this.options.recordings.path(recordingId)
    // A tree left from an earlier open of the same recording would hold messages twice.
    this.options.onClose(connectionId)
    const opened: Opened = { recording: null as unknown as OfflineRecording, since: Date.now(), lastEmit: 0, timer: null }
    opened.recording = new OfflineRecording(connectionId, info, path, {
      apply: (message) => this.options.onMessage(connectionId, message.topic, message.payload, packetOf(message), message.wallMs),
      clear: () => this.options.onClear(connectionId),
      undo: (count) => this.options.onUndo?.(connectionId, count) ?? [],
      redo: (message) => this.options.onRedo?.(connectionId, message),
      changed: (final) => this.changed(opened, final),
    })
    this.opened.set(connectionId, opened)
    this.options.emit('connections.state', this.connectionState(opened, 'connected'))
    return opened
  }

  private changed(opened: Opened, final: boolean): void {
    if (this.opened.get(opened.recording.connectionId) !== opened) return
    const interval = this.options.stateIntervalMs ?? STATE_INTERVAL_MS
    const wait = opened.lastEmit + interval - Date.now()
    if (final || wait <= 0) {
      if (opened.timer) clearTimeout(opened.timer)
      opened.timer = null
      this.emitState(opened)
      return
    }
    opened.timer ??= setTimeout(() => {
      opened.timer = null
      if (this.opened.get(opened.recording.connectionId) === opened) this.emitState(opened)
    }, wait)
  }

  private emitState(opened: Opened): void {
    opened.lastEmit = Date.now()
    this.options.emit('offline.state', opened.recording.state())
  }

  private connectionState(opened: Opened, status: 'connected' | 'disconnected'): ConnectionState {
    const { recording } = opened
    const version = recording.info.mqttVersion
    return {
      connectionId: recording.connectionId,
      // No profile stands behind a recording: its connection id is its own profile id.
      profileId: recording.connectionId,
      name: recording.info.name,
      status,
      ...(version === 4 || version === 5 ? { protocolVersion: version } : {}),
      since: opened.since,
      subscriptions: [],
      warnings: [],
      messageCount: recording.messageCount,
      byteCount: recording.byteCount,
      offline: { recordingId: recording.info.id },
    }
  }
}
