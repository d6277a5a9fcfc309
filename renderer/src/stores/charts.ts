/**
 * STUB, replaced by the charts branch. Chart series of every connection: the points live on the
 * main side (collected from every message); this store mirrors what the charts draw.
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { ChartSeriesInfo, SeriesSource } from '@api'
import { useApi } from '../api/use-api'

export const useChartsStore = defineStore('charts', () => {
  const api = useApi()
  const series = shallowRef<readonly ChartSeriesInfo[]>([])

  /** Adds a series (backfilled from the topic's history on the main side) and returns it. */
  async function add(source: SeriesSource, label?: string): Promise<ChartSeriesInfo> {
    const info = await api.call('chart.add', { source, label })
    series.value = [...series.value, info]
    return info
  }

  return { series, add }
})
