/**
 * Glue between the connections, the per-connection topic trees and the per-window views.
 * Being built in the tree integration step; until then every tree method answers that the tree
 * is not available yet, so the rest of the app keeps working.
 */
import { ApiError, type EventName, type EventPayloads, type ServiceHandlers } from '../../api'

type TreeMethod = Extract<keyof ServiceHandlers, `tree.${string}`>

export interface TreeServiceOptions {
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
  emitTo: <E extends EventName>(peerId: string, name: E, payload: EventPayloads[E]) => void
}

export class TreeService {
  constructor(private readonly options: TreeServiceOptions) {}

  handlers(): Pick<ServiceHandlers, TreeMethod> {
    const unavailable = async (): Promise<never> => {
      throw new ApiError('INTERNAL', 'The topic tree is not available in this build yet.')
    }
    return {
      'tree.view.open': unavailable,
      'tree.view.close': unavailable,
      'tree.view.snapshot': unavailable,
      'tree.view.window': unavailable,
      'tree.view.expand': unavailable,
      'tree.view.expandToDepth': unavailable,
      'tree.view.select': unavailable,
      'tree.view.filter': unavailable,
      'tree.view.sort': unavailable,
      'tree.view.pause': unavailable,
      'tree.topic.history': unavailable,
      'tree.retained.count': unavailable,
      'tree.retained.delete': unavailable,
      'tree.retained.cancel': unavailable,
      'tree.clear': unavailable,
      'tree.stats': unavailable,
    }
  }

  /** A window went away: drop its views. */
  peerDetached(_peerId: string): void {}

  close(): void {}
}
