/**
 * The `connections.*` and `messages.*` methods, answered by the connection engine
 * (connection-manager.ts). A connect starts from the stored profile; what it really uses (the
 * Sandbox's live endpoint, vault items as key material) is resolved by `prepare`, main side only.
 */
import { ApiError, isOfflineConnectionId, type ConnectionState, type Profile, type ServiceHandlers, type SessionSecrets } from '../../api'
import type { ConnectionManager } from './connection-manager'

type ConnectionsMethod = Extract<keyof ServiceHandlers, `connections.${string}` | `messages.${string}`>

export interface ConnectionsServiceDeps {
  connections: ConnectionManager
  /** The stored profile with this id, if any. */
  profile(id: string): Promise<Profile | undefined>
  /** The profile and secrets the connect actually uses. MAIN SIDE ONLY: the result may hold a private key. */
  prepare(profile: Profile, secrets: SessionSecrets): Promise<{ profile: Profile; secrets: SessionSecrets }>
  /** Recordings opened offline: listed as connections, closed by a disconnect, never written to. */
  offline?: {
    states(): ConnectionState[]
    close(connectionId: string): Promise<ConnectionState>
  }
}

/** A recording opened offline has no broker behind it: nothing can be sent or subscribed there. */
function refuseOffline(connectionId: string, what: string): void {
  if (isOfflineConnectionId(connectionId)) throw new ApiError('OFFLINE_READ_ONLY', `This is a recording opened offline, so it cannot ${what}: connect to a broker to do that.`)
}

/** The connections' slice of the contract. */
export function connectionsService({ connections, profile: storedProfile, prepare, offline }: ConnectionsServiceDeps): Pick<ServiceHandlers, ConnectionsMethod> {
  return {
    'connections.list': async () => [...connections.list(), ...(offline?.states() ?? [])],
    'connections.connect': async ({ profileId, secrets }) => {
      const profile = await storedProfile(profileId)
      if (!profile) throw new ApiError('NOT_FOUND', 'That connection profile no longer exists. It may have been deleted in another window.')
      // Vault items become key material here, main side only, right before the connect.
      const resolved = await prepare(profile, secrets)
      return connections.connect(resolved.profile, resolved.secrets)
    },
    'connections.disconnect': async ({ connectionId }) =>
      isOfflineConnectionId(connectionId) && offline ? offline.close(connectionId) : connections.disconnect(connectionId),
    'connections.subscribe': async ({ connectionId, subscription }) => {
      refuseOffline(connectionId, 'subscribe')
      return connections.subscribe(connectionId, subscription)
    },
    'connections.unsubscribe': async ({ connectionId, filter }) => {
      refuseOffline(connectionId, 'unsubscribe')
      return connections.unsubscribe(connectionId, filter)
    },
    'connections.publish': async (params) => {
      refuseOffline(params.connectionId, 'publish')
      await connections.publish(params)
      return { published: true }
    },
    // A recording has no live traffic to list: its messages are on its timeline and in its tree.
    'messages.recent': async ({ connectionId, limit }) => (isOfflineConnectionId(connectionId) ? [] : connections.recent(connectionId, limit)),
    'messages.clear': async ({ connectionId }) => {
      if (!isOfflineConnectionId(connectionId)) connections.clearMessages(connectionId)
      return { cleared: true }
    },
  }
}
