/**
 * Colours of a chart, taken from the app's CSS variables so the chart follows the light/dark
 * theme (lib/theme.ts: the Settings choice or the OS) like everything else. Series colours are a fixed palette chosen to
 * stay apart from each other on both backgrounds; `--chart-1`…`--chart-8` override them.
 */
import { formatCount } from '../format'

const PALETTE = ['#4c9bf0', '#e0a43d', '#3fb96f', '#ef6b6b', '#b07cf0', '#2bb8b8', '#f08a4c', '#d96bb0']

export interface ChartTheme {
  text: string
  grid: string
  series: (index: number) => string
}

export function readChartTheme(root: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(root)
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  const palette = PALETTE.map((c, i) => v(`--chart-${i + 1}`, c))
  return {
    text: v('--text-dim', '#8d96a3'),
    grid: v('--border', '#363b43'),
    series: (index) => palette[index % palette.length],
  }
}

/** Calls `listener` when the page switches between light and dark (a setting or the OS); returns a function that stops it. */
export { onThemeChange } from '../theme'

/** A number for the legend: up to 6 significant digits, no exponent for everyday magnitudes. */
export function formatChartValue(v: number | null): string {
  if (v === null) return '—'
  if (Number.isInteger(v)) return String(v)
  const abs = Math.abs(v)
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return v.toExponential(4)
  return String(Number(v.toPrecision(6)))
}

/** 209984 → "209,984" (German "209.984"), in the UI's language. */
export const formatChartCount = formatCount
