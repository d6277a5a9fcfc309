/**
 * Local checks of a topic filter against the MQTT rules (3.1.1 §4.7, 5.0 §4.7 and §4.8.2), so
 * that a filter the broker would refuse (or mqtt.js would refuse without telling anyone) is
 * shown as invalid on the subscription at once, with the rule it breaks.
 */
import { ApiError, MAX_TOPIC_BYTES, notice, utf8Length, type ApiErrorData, type NoticeCode, type NoticeParams } from '../../api'

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const SHARED_PREFIX = '$share/'

/** Null when `filter` is a valid MQTT topic filter, else the error to show on the subscription. */
export function validateFilter(filter: string): ApiErrorData | null {
  if (filter.length === 0) return invalid(filter, 'FILTER_EMPTY', 'A topic filter cannot be empty: enter one, e.g. sensors/# or +/status.')
  const bytes = utf8Length(filter)
  if (bytes > MAX_TOPIC_BYTES) {
    return invalid(filter, 'FILTER_TOO_LONG', `This filter is ${bytes.toLocaleString('en-US')} bytes long and MQTT allows at most ${MAX_TOPIC_BYTES.toLocaleString('en-US')}: shorten it or use a wildcard.`, { bytes, max: MAX_TOPIC_BYTES })
  }
  if (filter.includes('\u0000')) return invalid(filter, 'FILTER_NUL', 'This filter contains a NUL character (U+0000), which MQTT forbids: remove it.')
  if (LONE_SURROGATE.test(filter)) return invalid(filter, 'FILTER_LONE_SURROGATE', 'This filter contains a broken Unicode character (a lone surrogate), which is not valid UTF-8: retype it.')

  let levels = filter
  if (filter.startsWith(SHARED_PREFIX)) {
    const rest = filter.slice(SHARED_PREFIX.length)
    const slash = rest.indexOf('/')
    const group = slash === -1 ? rest : rest.slice(0, slash)
    if (slash === -1 || group === '' || slash === rest.length - 1) {
      return invalid(filter, 'FILTER_SHARE_INCOMPLETE', `A shared subscription needs a group name and a filter after it, as in $share/group/sensors/#: ${short(filter)} lacks one.`, { filter: short(filter) })
    }
    if (group.includes('+') || group.includes('#')) {
      return invalid(filter, 'FILTER_SHARE_GROUP_WILDCARD', `The group name of a shared subscription cannot contain + or # (${short(group)}): use a plain name, as in $share/group/sensors/#.`, { group: short(group) })
    }
    levels = rest.slice(slash + 1)
  }

  const parts = levels.split('/')
  for (let i = 0; i < parts.length; i++) {
    const level = parts[i]
    if (level === '+' || (level === '#' && i === parts.length - 1)) continue
    if (level === '#') {
      return invalid(filter, 'FILTER_HASH_NOT_LAST', `# must be the last level of a filter (as in sensors/#): ${short(filter)} has levels after it.`, { filter: short(filter) })
    }
    if (level.includes('#')) {
      return invalid(filter, 'FILTER_HASH_INSIDE', `# must stand alone as the last level (as in sensors/#), not inside a level like "${short(level)}".`, { level: short(level) })
    }
    if (level.includes('+')) {
      return invalid(filter, 'FILTER_PLUS_INSIDE', `+ must stand for a whole level (as in sensors/+/temp), not sit inside a level like "${short(level)}".`, { level: short(level) })
    }
  }
  return null
}

/** The error, with the rule it breaks as a notice in its detail, so the renderer can say which rule in the UI's language. */
function invalid(filter: string, code: NoticeCode, sentence: string, params?: NoticeParams): ApiErrorData {
  return new ApiError('MQTT_FILTER_INVALID', sentence, { filter: short(filter), notice: notice(code, sentence, params) }).toJSON()
}

/** Long filters (a hostile paste) are cut in sentences so an error stays readable. */
function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}

/** True when `topic` (a topic name, no wildcards) is received by a subscription to `filter`. */
export function filterMatches(filter: string, topic: string): boolean {
  const f = filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter
  const fl = f.split('/')
  const tl = topic.split('/')
  // Wildcards at the first level never match topics starting with $ (MQTT 4.7.2).
  if (topic.startsWith('$') && (fl[0] === '#' || fl[0] === '+')) return false
  for (let i = 0; i < fl.length; i++) {
    if (fl[i] === '#') return true
    if (i >= tl.length) return false
    if (fl[i] !== '+' && fl[i] !== tl[i]) return false
  }
  return fl.length === tl.length
}
