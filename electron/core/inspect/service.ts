/** The inspector feature's slice of the contract: `inspect.*` (decode and pages) and `schemas.*`. */
import type { ServiceHandlers } from '../../api'
import type { InspectManager } from './inspect-manager'
import type { SchemaStore } from './schema-store'

type InspectMethod = Extract<keyof ServiceHandlers, `inspect.${string}` | `schemas.${string}`>

export interface InspectServiceDeps {
  inspect: InspectManager
  schemas: SchemaStore
}

/** The inspector feature's slice of the contract. */
export function inspectService({ inspect, schemas }: InspectServiceDeps): Pick<ServiceHandlers, InspectMethod> {
  return {
    'inspect.decode': async (params) => inspect.decodeChecked(params),
    'inspect.text': async (params) => inspect.textChecked(params),
    'inspect.bytes': async (params) => inspect.bytes(params),
    'inspect.diff': async (params) => {
      // Both sides' JSON checks finish in their slices first, not in one task here.
      await Promise.all([inspect.whenChecked(params.left), inspect.whenChecked(params.right)])
      return inspect.diff(params)
    },
    'inspect.release': async ({ docId }) => {
      inspect.release(docId)
      return { released: true }
    },
    'schemas.list': async () => schemas.list(),
    'schemas.import': async ({ name, text, replace }) => schemas.import(name, text, replace),
    'schemas.importMessage': async ({ message, name, replace }) => schemas.import(name, inspect.messageText(message), replace),
    'schemas.delete': async ({ name }) => {
      await schemas.delete(name)
      return { deleted: true }
    },
  }
}
