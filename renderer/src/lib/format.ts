/** Small display formatters shared by the views. Pure functions; words come from lib/i18n in the UI's language. */
import { isErrorCode, type ApiErrorData, type ConnectionStatus, type ProtocolVersion } from '@api'
import { currentLocale, t } from './i18n'
import { localizedError } from './i18n/errors'

/** 1536 → "1.5 KB". Binary units, because payload limits are usually powers of two. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

// One formatter per language: toLocaleString builds its Intl machinery on every call, and the
// tree formats a few counts per visible row on every frame (32 ms of a 100,000-topic burst).
const COUNT_FORMATS = new Map<string, Intl.NumberFormat>()

/** Thousands separators keep big counters readable at a glance: 209984 → "209,984" (German "209.984"). */
export function formatCount(n: number): string {
  const locale = currentLocale()
  let format = COUNT_FORMATS.get(locale)
  if (format === undefined) COUNT_FORMATS.set(locale, (format = new Intl.NumberFormat(locale)))
  return format.format(n)
}

/** Times are written by lib/time/time-format.ts, in the format chosen in Settings. */
export { formatTime } from './time/time-format'

/** "MQTT 5.0" / "MQTT 3.1.1". */
export function protocolLabel(version: ProtocolVersion | undefined): string {
  if (version === 5) return 'MQTT 5.0'
  if (version === 4) return 'MQTT 3.1.1'
  return ''
}

/** The words a status badge shows; `unknown` while the backend cannot be asked. */
export function statusLabel(status: ConnectionStatus | 'unknown' | undefined): string {
  switch (status) {
    case 'unknown':
    case 'connecting':
    case 'connected':
    case 'reconnecting':
    case 'offline':
    case 'error':
      return t(`status.${status}`)
    default:
      return t('status.disconnected')
  }
}

/** Seconds left until `at`, never negative, rounded up so "0 s" means "now". */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000))
}

/**
 * The sentence to show for a caught error. Calls reject with an ApiError whose message is
 * already written for the user (in the UI's language when its code has a translation, see
 * lib/i18n/errors.ts); anything else still gets shown rather than swallowed.
 */
export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && isErrorCode((err as ApiErrorData).code)) return localizedError(err as ApiErrorData)
  return err instanceof Error ? err.message : String(err)
}

/** True when a call failed only because the link to the backend dropped (or was refused) before it answered. */
export function isTransportLoss(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as ApiErrorData).code === 'TRANSPORT_CLOSED'
}

/**
 * What a pane shows when its own background load failed: null for a lost backend link, which
 * the app-wide banner already reports and which the store answers by loading again once the
 * link is back. A second "lost contact" line per pane would only repeat the banner.
 */
export function loadErrorText(err: unknown): string | null {
  return isTransportLoss(err) ? null : errorText(err)
}
