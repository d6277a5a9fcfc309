/**
 * The `connections.*` and `messages.*` methods, answered by the connection engine
 * (connection-manager.ts). A connect starts from the stored profile; what it really uses (the
 * Sandbox's live endpoint, vault items as key material) is resolved by `prepare`, main side only.
 */
import { ApiError, type Profile, type ServiceHandlers, type SessionSecrets } from '../../api'
import type { ConnectionManager } from './connection-manager'

type ConnectionsMethod = Extract<keyof ServiceHandlers, `connections.${string}` | `messages.${string}`>

export interface ConnectionsServiceDeps {
  connections: ConnectionManager
  /** The stored profile with this id, if any. */
  profile(id: string): Promise<Profile | undefined>
  /** The profile and secrets the connect actually uses. MAIN SIDE ONLY: the result may hold a private key. */
  prepare(profile: Profile, secrets: SessionSecrets): Promise<{ profile: Profile; secrets: SessionSecrets }>
}

/** The connections' slice of the contract. */
export function connectionsService({ connections, profile: storedProfile, prepare }: ConnectionsServiceDeps): Pick<ServiceHandlers, ConnectionsMethod> {
  return {
    'connections.list': async () => connections.list(),
    'connections.connect': async ({ profileId, secrets }) => {
      const profile = await storedProfile(profileId)
      if (!profile) throw new ApiError('NOT_FOUND', 'That connection profile no longer exists. It may have been deleted in another window.')
      // Vault items become key material here, main side only, right before the connect.
      const resolved = await prepare(profile, secrets)
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
  }
}
