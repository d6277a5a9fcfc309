/**
 * Implements the contract by composing the features: it builds each feature's engine, wires the
 * engines' hooks into each other, and spreads each feature's slice of the handlers (its
 * `service.ts`). Nothing else lives here. Plain Node: the Electron main process and the
 * browser-mode host both create exactly this, so what the tests drive in browser mode is what
 * the desktop app runs.
 */
import { isOfflineConnectionId, type AppInfo, type EventName, type EventPayloads, type OfflineState, type ServiceHandlers } from '../api'
import { appService } from './app/service'
import { ChartManager } from './charts/chart-manager'
import { chartsService } from './charts/service'
import { connackDetails } from './connections/connack-details'
import { ConnectionManager } from './connections/connection-manager'
import { connectionsService } from './connections/service'
import { InspectManager } from './inspect/inspect-manager'
import { SchemaStore } from './inspect/schema-store'
import { inspectService } from './inspect/service'
import { profilesIoService } from './profiles-io/service'
import { findMessage } from './inspect/message-lookup'
import { PublishHistoryStore } from './publish/history-store'
import { draftFromPayload } from './encode'
import { PublishManager } from './publish/publish-manager'
import { publishService } from './publish/service'
import { TemplateStore } from './publish/template-store'
import { SandboxBroker, SANDBOX_PROFILE_ID } from './sandbox/sandbox-broker'
import { OFFLINE_UNDO_STEPS, offlineHistoryLimits } from './offline/history-limits'
import { OfflineManager } from './offline/offline-manager'
import { offlineService } from './offline/service'
import { adoptRecordingFile } from './recording/adopt-file'
import { RecordingManager } from './recording/recording-manager'
import { recordingService, type SaveFileAs } from './recording/service'
import { ReplayManager } from './replay/replay-manager'
import { replayService } from './replay/service'
import { ProfileStore } from './storage/profile-store'
import { storageService } from './storage/service'
import { SettingsStore } from './storage/settings-store'
import { tlsService } from './tls/service'
import { TlsManager } from './tls/tls-manager'
import { treeService } from './tree/service'
import { TreeManager } from './tree/tree-manager'
import { payloadOf } from './tree/topic-node'
import { vaultService } from './vault/service'
import { VaultManager } from './vault/vault-manager'

export interface ServiceOptions {
  dataDir: string
  mode: AppInfo['mode']
  version: string
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
  /** The desktop shell's save dialog (`recordings.saveAs`); browser mode has none and offers downloads. */
  saveFileAs?: SaveFileAs
  /** Sends an event to one window only (tree views belong to the window that opened them). */
  emitTo?: <E extends EventName>(peerId: string, name: E, payload: EventPayloads[E]) => void
}

export interface Service {
  handlers: ServiceHandlers
  /** A window or browser tab went away: drop what belonged to it. */
  peerDetached(peerId: string): void
  /**
   * Opens a recording file the OS handed the desktop app (argv, macOS open-file): brings it into
   * the library and opens it offline; windows are told to show its tab (`offline.opened`).
   */
  openRecordingFile(path: string): Promise<OfflineState>
  close(): Promise<void>
}

export async function createService(options: ServiceOptions): Promise<Service> {
  const { emit } = options
  const profiles = await ProfileStore.open(options.dataDir)
  const sandbox = new SandboxBroker({ dataDir: options.dataDir })
  await profiles.ensureBuiltin(SandboxBroker.defaultProfileSpec(), SANDBOX_PROFILE_ID, 'sandbox')
  // Independent files (and the keychain's D-Bus round trips): open them side by side, not in turn.
  const [vault, tls, settings, schemas, publishHistory, templates] = await Promise.all([
    VaultManager.open(options.dataDir, profiles, (snapshot) => emit('vault.changed', snapshot)),
    TlsManager.open({ dataDir: options.dataDir, emit }),
    SettingsStore.open(options.dataDir),
    SchemaStore.open(options.dataDir, {
      onChange: (files) => {
        emit('schemas.changed', files)
        // A rule's Protobuf type or Avro schema may have come or gone: previews follow.
        trees.previewsChanged()
      },
    }),
    PublishHistoryStore.open(options.dataDir),
    TemplateStore.open(options.dataDir),
  ])
  const trees: TreeManager = new TreeManager({
    emit,
    emitTo: options.emitTo ?? (() => {}),
    settings: settings.get().tree,
    // QoS 1 so each deletion is confirmed by the broker before it counts as done.
    publishEmptyRetained: (connectionId: string, topic: string): Promise<void> => connections.publish({ connectionId, topic, payload: '', encoding: 'utf8', qos: 1, retain: true }),
    // Decoder rules and Sparkplug B give some rows a decoded preview; every other row costs one Map lookup.
    previewFor: (connectionId, path, payload, properties) => inspect.previewFor(connectionId, path, payload, properties),
    limitsFor: (connectionId, limits) => (isOfflineConnectionId(connectionId) ? offlineHistoryLimits(limits) : limits),
    undoStepsFor: (connectionId) => (isOfflineConnectionId(connectionId) ? OFFLINE_UNDO_STEPS : 0),
  })
  const inspect = new InspectManager({ trees, schemas })
  inspect.profilesChanged(await profiles.list())
  const charts = new ChartManager({
    emit,
    connectionKnown: async (connectionId) => offline.has(connectionId) || (await profiles.get(connectionId)) !== undefined,
    storedMessages: (connectionId, topic, offset, limit) => trees.storedMessages(connectionId, topic, offset, limit),
    // The inspector's context: the profile's rules, the imported schemas, the Sparkplug BIRTHs.
    decodeContext: (connectionId, topic, properties) => inspect.contextFor(connectionId, topic, properties),
  })
  const onMessage = trees.onMessage
  const onChartMessage = charts.onMessage
  const recordings: RecordingManager = new RecordingManager({
    dataDir: options.dataDir,
    emit,
    appVersion: options.version,
    profile: (id) => profiles.get(id),
    connectionState: (id) => connections.list().find((s) => s.connectionId === id),
    tlsReport: (id) => tls.report(id),
  })
  const onRecordMessage = recordings.onMessage
  const connections = new ConnectionManager({
    onState: (state) => {
      emit('connections.state', state)
      recordings.onState(state)
      // Repeat jobs and open requests of a connection that went down end with a clear state.
      publish.connectionState(state)
      replays.connectionState(state)
    },
    onBatch: (batch) => emit('messages.batch', batch),
    onTlsSocket: tls.onTlsSocket,
    onConnack: (connectionId, packet, timings) => tls.onConnack(connectionId, timings, (protocolVersion) => connackDetails(packet, protocolVersion)),
    // The tree first (it stores the message), then the charts (nothing to do unless a series
    // exists), then replies to open requests (one size check unless a request waits).
    onMessage: (connectionId, topic, payload, packet, time) => {
      onMessage(connectionId, topic, payload, packet, time)
      onChartMessage(connectionId, topic, payload, packet, time)
      onRequestReply(connectionId, topic, payload, packet, time)
      // After the tree: one Map lookup unless a recorder taps this connection.
      onRecordMessage(connectionId, topic, payload, packet, time)
    },
  })
  const publish: PublishManager = new PublishManager({
    emit,
    history: publishHistory,
    templates,
    channel: (connectionId) => connections.channel(connectionId),
    profileName: async (connectionId) => (await profiles.get(connectionId))?.name,
    encodeContext: () => ({ schemas: schemas.lookup }),
    storedMessage: (ref) => findMessage(trees, ref).message,
    templatesChanged: () => emitTemplates(),
    // "Edit and publish": the payload in its decoded format (CBOR, Protobuf, Sparkplug as JSON…), decoded as the inspector does.
    draftPayload: (bytes, connectionId, topic, properties) => draftFromPayload(bytes, inspect.contextFor(connectionId, topic, properties)),
  })
  const onRequestReply = publish.onMessage
  // A recording opened offline feeds its tree and charts as a connection would, at the recorded times.
  const offline = new OfflineManager({
    recordings: recordings.store,
    emit,
    onMessage: (connectionId, topic, payload, packet, time) => {
      onMessage(connectionId, topic, payload, packet, time)
      onChartMessage(connectionId, topic, payload, packet, time)
    },
    onClear: (connectionId) => {
      trees.clear(connectionId)
      charts.connectionRewound(connectionId)
    },
    // A short step back takes messages out of the tree, and the charts hold what its history holds.
    onUndo: (connectionId, count) => {
      const undone = trees.undo(connectionId, count)
      if (undone.length > 0) charts.connectionUndone(connectionId)
      return undone
    },
    onRedo: (connectionId, undone) => {
      trees.redo(connectionId, undone)
      const { topic, message } = undone
      const payload = payloadOf(message)
      onChartMessage(connectionId, topic, payload, { cmd: 'publish', topic, payload, qos: message.qos, retain: message.retain, dup: false, properties: message.properties }, message.time)
    },
    onClose: (connectionId) => {
      trees.dropConnection(connectionId)
      inspect.dropConnection(connectionId)
      charts.dropConnection(connectionId)
    },
  })
  const replays: ReplayManager = new ReplayManager({ store: recordings.store, channel: (id) => connections.channel(id), profile: (id) => profiles.get(id), emit })
  const emitTemplates = (): void => emit('templates.changed', templates.list())

  const profilesChanged = async () => {
    const list = await profiles.list()
    // Decoder rules live in the profiles: the inspector and the tree's previews follow at once.
    inspect.profilesChanged(list)
    trees.previewsChanged()
    emit('profiles.changed', list)
    // Which profiles use which vault item changed too (delete warnings, expiry flags).
    await vault.changed()
  }

  const handlers: ServiceHandlers = {
    ...appService({ version: options.version, mode: options.mode, dataDir: options.dataDir, stores: [profiles, settings, tls, schemas, publishHistory, templates], sandboxProtocolVersion: SandboxBroker.protocolVersion }),
    ...storageService({
      profiles,
      settings,
      emit,
      profilesChanged,
      profileDeleting: async (id) => {
        if (connections.has(id)) await connections.disconnect(id)
      },
      profileDeleted: (id) => {
        trees.dropConnection(id)
        inspect.dropConnection(id)
        charts.dropConnection(id)
        publish.dropConnection(id)
        // A profile's templates go with it (global ones stay).
        void templates.dropProfile(id).then((n) => {
          if (n > 0) emitTemplates()
        })
      },
      settingsSaved: (next) => trees.applySettings(next.tree),
    }),
    ...connectionsService({
      connections,
      profile: (id) => profiles.get(id),
      prepare: async (profile, secrets) => vault.resolveForConnect(await sandbox.resolveProfile(profile), secrets),
      offline: { states: () => offline.connectionStates(), close: (connectionId) => offline.close(connectionId) },
    }),
    ...tlsService(tls),
    ...vaultService(vault),
    ...treeService(trees),
    ...profilesIoService({
      profiles,
      vault,
      profilesChanged,
      schemas,
      templates: {
        ofProfile: (id) => templates.ofProfile(id),
        importTemplates: async (id, list, name) => {
          const warnings = await templates.importTemplates(id, list, name)
          emitTemplates()
          return warnings
        },
      },
    }),
    ...inspectService({ inspect, schemas }),
    ...chartsService(charts),
    ...publishService({
      publish,
      history: publishHistory,
      templates,
      topics: (connectionId, prefix, limit) => trees.completeTopics(connectionId, prefix, limit),
      emitTemplates,
      emitHistory: () => emit('publish.historyChanged', publishHistory.list()),
    }),
    ...recordingService(recordings, options.saveFileAs),
    ...replayService(replays),
    ...offlineService(offline),
  }

  return {
    handlers,
    peerDetached: (peerId) => trees.peerDetached(peerId),
    async openRecordingFile(path) {
      const info = await adoptRecordingFile(recordings.store, path)
      await recordings.changed()
      const state = await offline.open(info.id)
      emit('offline.opened', state)
      return state
    },
    async close() {
      publish.close()
      await replays.closeAll()
      await offline.closeAll()
      trees.close()
      inspect.close()
      charts.close()
      await recordings.closeAll()
      await connections.closeAll()
      await tls.close()
      await sandbox.stop()
      vault.close()
    },
  }
}
