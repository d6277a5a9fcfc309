/** STUB, replaced by the charts branch: the `chart.*` methods. */
import { ApiError, type ServiceHandlers } from '../../api'

type ChartMethod = Extract<keyof ServiceHandlers, `chart.${string}`>

const notYet = async (): Promise<never> => {
  throw new ApiError('INTERNAL', 'Charts are not built yet.')
}

/** The charts feature's slice of the contract. */
export function chartsService(): Pick<ServiceHandlers, ChartMethod> {
  return {
    'chart.list': async () => [],
    'chart.add': notYet,
    'chart.remove': notYet,
    'chart.reset': notYet,
    'chart.points': notYet,
  }
}
