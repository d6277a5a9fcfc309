/**
 * A tree row's decoded preview in the UI's language. Main writes the line in English; for the
 * few previews that hold words (an image's kind and size, a Sparkplug payload's sequence number,
 * metric aliases, "no metrics") the row also carries their parts, and here those rows are written
 * again in the current language, cut to the same one line. Every other row, and every row in
 * English, shows main's line as it came: one field read per visible row.
 */
import type { PreviewMetric, PreviewWords, TreeRow } from '@api'
import { currentLocale, t } from '../i18n'

/** The longest preview line, as main cuts it (PREVIEW_MAX_CHARS on the main side). */
const PREVIEW_MAX_CHARS = 100

/** The row's preview line as the UI shows it. */
export function rowPreview(row: Pick<TreeRow, 'preview' | 'previewWords'>): string {
  const words = row.previewWords
  if (words === undefined || currentLocale() === 'en') return row.preview
  return previewLine(words)
}

/** A preview's words written in the current language, on one line of at most 100 characters. */
export function previewLine(words: PreviewWords): string {
  if (words.kind === 'image') {
    return words.width !== null && words.height !== null ? t('tree.preview.imageSized', { format: words.format, width: String(words.width), height: String(words.height) }) : t('tree.preview.image', { format: words.format })
  }
  const seq = words.seq !== null ? t('tree.preview.seq', { seq: String(words.seq) }) : ''
  const metrics = words.metrics.map(metricText).join(', ')
  return oneLine(`${seq}${metrics || t('tree.preview.noMetrics')}`)
}

function metricText(m: PreviewMetric): string {
  return `${m.name ?? t('tree.preview.alias', { alias: String(m.alias) })}=${m.value}`
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > PREVIEW_MAX_CHARS ? line.slice(0, PREVIEW_MAX_CHARS - 1) + '…' : line
}
