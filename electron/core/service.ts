/**
 * Implements the contract by composing the engine's parts. Plain Node: the Electron main
 * process and the browser-mode host both create exactly this, so what the tests drive in
 * browser mode is what the desktop app runs.
 */
import { ApiError, type AppInfo, type EventName, type EventPayloads, type Profile, type ServiceHandlers } from '../api'
import { ConnectionManager } from './connections/connection-manager'
import { SandboxBroker, SANDBOX_PROFILE_ID } from './sandbox/sandbox-broker'
import { ProfileStore } from './storage/profile-store'
import { TlsInspector } from './tls/tls-inspector-service'
import { TreeService } from './tree/tree-service'
import { SettingsStore } from './storage/settings-store'
import { VaultService } from './vault-service'
import { exportProfiles } from './profiles-io/export-profiles'
import { importProfiles, previewImport } from './profiles-io/import-profiles'

export interface ServiceOptions {
  dataDir: string
  mode: AppInfo['mode']
  version: string
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
  /** Sends an event to one window only (tree views belong to the window that opened them). */
  emitTo?: <E extends EventName>(peerId: string, name: E, payload: EventPayloads[E]) => void
}

export interface Service {
  handlers: ServiceHandlers
  /** A window or browser tab went away: drop what belonged to it. */
  peerDetached(peerId: string): void
  close(): Promise<void>
}

export async function createService(options: ServiceOptions): Promise<Service> {
  const { emit } = options
  const profiles = await ProfileStore.open(options.dataDir)
  const sandbox = new SandboxBroker({ dataDir: options.dataDir })
  await profiles.ensureBuiltin(SandboxBroker.defaultProfileSpec(), SANDBOX_PROFILE_ID, 'sandbox')
  // Independent files (and the keychain's D-Bus round trips): open them side by side, not in turn.
  const [vault, tlsInspector, settings] = await Promise.all([
    VaultService.open(options.dataDir, profiles, (snapshot) => emit('vault.changed', snapshot)),
    TlsInspector.open({ dataDir: options.dataDir, emit }),
    SettingsStore.open(options.dataDir),
  ])
  const trees: TreeService = new TreeService({
    emit,
    emitTo: options.emitTo ?? (() => {}),
    settings: settings.get().tree,
    // QoS 1 so each deletion is confirmed by the broker before it counts as done.
    publishEmptyRetained: (connectionId: string, topic: string): Promise<void> => connections.publish({ connectionId, topic, payload: '', encoding: 'utf8', qos: 1, retain: true }),
  })
  const connections = new ConnectionManager({
    onState: (state) => emit('connections.state', state),
    onBatch: (batch) => emit('messages.batch', batch),
    onTlsSocket: tlsInspector.onTlsSocket,
    onConnack: tlsInspector.onConnack,
    onMessage: trees.onMessage,
  })

  const profileChanged = async () => {
    emit('profiles.changed', await profiles.list())
    // Which profiles use which vault item changed too (delete warnings, expiry flags).
    await vault.changed()
  }

  /** The Sandbox profile points at wherever the embedded broker listens this run. */
  async function resolveForConnect(profile: Profile): Promise<Profile> {
    if (profile.builtin !== 'sandbox') return profile
    const endpoint = await sandbox.start()
    return {
      ...profile,
      scheme: 'mqtts',
      host: endpoint.host,
      port: endpoint.port,
      tls: { ...profile.tls, ca: [{ name: 'Sandbox CA', pem: endpoint.caPem }], useSystemRoots: false, servername: endpoint.servername },
    }
  }

  const handlers: ServiceHandlers = {
    'app.info': async () => ({
      name: 'MQTTS Explorer',
      version: options.version,
      mode: options.mode,
      dataDir: options.dataDir,
      storageWarnings: [...profiles.warnings, ...settings.warnings, ...tlsInspector.storageWarnings],
      sandboxProtocolVersion: SandboxBroker.protocolVersion,
    }),
    'profiles.list': async () => profiles.list(),
    'profiles.create': async ({ spec }) => {
      const created = await profiles.create(spec)
      await profileChanged()
      return created
    },
    'profiles.update': async ({ id, spec }) => {
      const updated = await profiles.update(id, spec)
      await profileChanged()
      return updated
    },
    'profiles.duplicate': async ({ id }) => {
      const copy = await profiles.duplicate(id)
      await profileChanged()
      return copy
    },
    'profiles.delete': async ({ id }) => {
      if (connections.has(id)) await connections.disconnect(id)
      await profiles.delete(id)
      trees.dropConnection(id)
      await profileChanged()
      return { deleted: true }
    },
    'connections.list': async () => connections.list(),
    'connections.connect': async ({ profileId, secrets }) => {
      const profile = await profiles.get(profileId)
      if (!profile) throw new ApiError('NOT_FOUND', 'That connection profile no longer exists. It may have been deleted in another window.')
      // Vault items become key material here, main side only, right before the connect.
      const resolved = await vault.resolveForConnect(await resolveForConnect(profile), secrets)
      return connections.connect(resolved.profile, resolved.secrets)
    },
    'connections.disconnect': async ({ connectionId }) => connections.disconnect(connectionId),
    'connections.subscribe': async ({ connectionId, subscription }) => connections.subscribe(connectionId, subscription),
    'connections.unsubscribe': async ({ connectionId, filter }) => connections.unsubscribe(connectionId, filter),
    'connections.publish': async (params) => {
      await connections.publish(params)
      return { published: true }
    },
    'messages.recent': async ({ connectionId, limit }) => connections.recent(connectionId, limit),
    'messages.clear': async ({ connectionId }) => {
      connections.clearMessages(connectionId)
      return { cleared: true }
    },
    ...tlsInspector.handlers(),
    ...vault.handlers(),
    ...trees.handlers(),
    'settings.get': async () => settings.get(),
    'settings.update': async ({ patch }) => {
      const next = await settings.update(patch)
      trees.applySettings(next.tree)
      emit('settings.changed', next)
      return next
    },
    'profiles.export': async (params) => exportProfiles(await profiles.list(), vault, params),
    'profiles.importPreview': async (params) => previewImport(params, { profiles, vault }),
    'profiles.import': async (params) => {
      const result = await importProfiles(params, { profiles, vault })
      await profileChanged()
      return result
    },
  }

  return {
    handlers,
    peerDetached: (peerId) => trees.peerDetached(peerId),
    async close() {
      trees.close()
      await connections.closeAll()
      tlsInspector.close()
      await sandbox.stop()
      vault.close()
    },
  }
}
