/**
 * PLACEHOLDER for the publish-contract branch: the publish work replaces this with the real
 * handlers over a PublishManager (and its stores and jobs).
 */
import { ApiError, type ServiceHandlers } from '../../api'

type PublishMethods = `publish.${string}` | `templates.${string}` | `repeat.${string}` | `request.${string}`

export function publishService(): Pick<ServiceHandlers, Extract<keyof ServiceHandlers, PublishMethods>> {
  const todo = async (): Promise<never> => {
    throw new ApiError('INTERNAL', 'Not built yet')
  }
  return {
    'publish.encode': todo,
    'publish.send': todo,
    'publish.draftFromMessage': todo,
    'publish.history': todo,
    'publish.historyClear': todo,
    'publish.topics': todo,
    'templates.list': todo,
    'templates.save': todo,
    'templates.delete': todo,
    'repeat.start': todo,
    'repeat.stop': todo,
    'repeat.list': todo,
    'request.send': todo,
    'request.cancel': todo,
    'request.list': todo,
  }
}
