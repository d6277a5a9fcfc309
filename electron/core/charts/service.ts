/** The `chart.*` methods, answered by the charts engine (chart-manager.ts). */
import type { ServiceHandlers } from '../../api'
import type { ChartManager } from './chart-manager'

type ChartMethod = Extract<keyof ServiceHandlers, `chart.${string}`>

/** The charts feature's slice of the contract. */
export function chartsService(charts: ChartManager): Pick<ServiceHandlers, ChartMethod> {
  return {
    'chart.list': async () => charts.list(),
    'chart.add': async ({ source, label }) => charts.add(source, label),
    'chart.remove': async ({ seriesId }) => {
      charts.remove(seriesId)
      return { removed: true }
    },
    'chart.reset': async ({ seriesId }) => charts.reset(seriesId),
    'chart.points': async ({ seriesId, from, maxPoints }) => charts.points(seriesId, from, maxPoints),
  }
}
