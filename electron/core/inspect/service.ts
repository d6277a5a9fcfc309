/** STUB, replaced by the inspector branch: the `inspect.*` and `schemas.*` methods. */
import { ApiError, type ServiceHandlers } from '../../api'

type InspectMethod = Extract<keyof ServiceHandlers, `inspect.${string}` | `schemas.${string}`>

const notYet = async (): Promise<never> => {
  throw new ApiError('INTERNAL', 'The message inspector is not built yet.')
}

/** The inspector feature's slice of the contract. */
export function inspectService(): Pick<ServiceHandlers, InspectMethod> {
  return {
    'inspect.decode': notYet,
    'inspect.text': notYet,
    'inspect.bytes': notYet,
    'inspect.release': notYet,
    'schemas.list': async () => [],
    'schemas.import': notYet,
    'schemas.importMessage': notYet,
    'schemas.delete': notYet,
  }
}
