/**
 * The publishing methods: send, encode check, history, templates, repeat jobs, requests, topic
 * completion and "Edit and publish". Handlers validate nothing themselves (the RPC server did)
 * and hold no state: the PublishManager and its stores do.
 */
import type { ServiceHandlers } from '../../api'
import type { PublishHistoryStore } from './history-store'
import type { PublishManager } from './publish-manager'
import type { TemplateStore } from './template-store'

type PublishMethods = `publish.${string}` | `templates.${string}` | `repeat.${string}` | `request.${string}`

export interface PublishServiceDeps {
  publish: PublishManager
  history: PublishHistoryStore
  templates: TemplateStore
  /** Topics of a connection's tree under a typed prefix (the next level first). */
  topics(connectionId: string, prefix: string, limit: number): { path: string; hasChildren: boolean; hasMessage: boolean }[]
  emitTemplates(): void
  emitHistory(): void
}

export function publishService({ publish, history, templates, topics, emitTemplates, emitHistory }: PublishServiceDeps): Pick<ServiceHandlers, Extract<keyof ServiceHandlers, PublishMethods>> {
  return {
    'publish.encode': async ({ payload }) => publish.encode(payload),
    'publish.send': async ({ connectionId, message, templateId }) => publish.send(connectionId, message, templateId),
    'publish.draftFromMessage': async ({ message }) => publish.draftFromMessage(message),
    'publish.history': async () => history.list(),
    'publish.historyClear': async () => {
      await history.clear()
      emitHistory()
      return { cleared: true }
    },
    'publish.topics': async ({ connectionId, prefix, limit }) => ({ topics: topics(connectionId, prefix, limit) }),
    'templates.list': async (params) => templates.list({ profileId: params?.profileId, search: params?.search }),
    'templates.save': async ({ id, name, profileId, message }) => {
      const saved = await templates.save({ id, name, profileId, message })
      emitTemplates()
      return saved
    },
    'templates.delete': async ({ id }) => {
      await templates.delete(id)
      emitTemplates()
      return { deleted: true }
    },
    'repeat.start': async ({ connectionId, message, pace, until }) => publish.startRepeat(connectionId, message, pace, until),
    'repeat.stop': async ({ jobId }) => publish.stopRepeat(jobId),
    'repeat.list': async () => publish.listRepeat(),
    'request.send': async ({ connectionId, message, timeoutMs }) => publish.sendRequest(connectionId, message, timeoutMs),
    'request.cancel': async ({ requestId }) => publish.cancelRequest(requestId),
    'request.list': async () => publish.listRequests(),
  }
}
