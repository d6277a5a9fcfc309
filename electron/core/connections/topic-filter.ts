/**
 * Local checks of a topic filter against the MQTT rules (3.1.1 §4.7, 5.0 §4.7 and §4.8.2), so
 * that a filter the broker would refuse (or mqtt.js would refuse without telling anyone) is
 * shown as invalid on the subscription at once, with the rule it breaks.
 */
import { ApiError, MAX_TOPIC_BYTES, utf8Length, type ApiErrorData } from '../../api'

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const SHARED_PREFIX = '$share/'

/** Null when `filter` is a valid MQTT topic filter, else the error to show on the subscription. */
export function validateFilter(filter: string): ApiErrorData | null {
  if (filter.length === 0) return invalid(filter, 'A topic filter cannot be empty: enter one, e.g. sensors/# or +/status.')
  const bytes = utf8Length(filter)
  if (bytes > MAX_TOPIC_BYTES) {
    return invalid(filter, `This filter is ${bytes.toLocaleString('en-US')} bytes long and MQTT allows at most ${MAX_TOPIC_BYTES.toLocaleString('en-US')}: shorten it or use a wildcard.`)
  }
  if (filter.includes('\u0000')) return invalid(filter, 'This filter contains a NUL character (U+0000), which MQTT forbids: remove it.')
  if (LONE_SURROGATE.test(filter)) return invalid(filter, 'This filter contains a broken Unicode character (a lone surrogate), which is not valid UTF-8: retype it.')

  let levels = filter
  if (filter.startsWith(SHARED_PREFIX)) {
    const rest = filter.slice(SHARED_PREFIX.length)
    const slash = rest.indexOf('/')
    const group = slash === -1 ? rest : rest.slice(0, slash)
    if (slash === -1 || group === '' || slash === rest.length - 1) {
      return invalid(filter, `A shared subscription needs a group name and a filter after it, as in $share/group/sensors/#: ${short(filter)} lacks one.`)
    }
    if (group.includes('+') || group.includes('#')) {
      return invalid(filter, `The group name of a shared subscription cannot contain + or # (${short(group)}): use a plain name, as in $share/group/sensors/#.`)
    }
    levels = rest.slice(slash + 1)
  }

  const parts = levels.split('/')
  for (let i = 0; i < parts.length; i++) {
    const level = parts[i]
    if (level === '+' || (level === '#' && i === parts.length - 1)) continue
    if (level === '#') {
      return invalid(filter, `# must be the last level of a filter (as in sensors/#): ${short(filter)} has levels after it.`)
    }
    if (level.includes('#')) {
      return invalid(filter, `# must stand alone as the last level (as in sensors/#), not inside a level like "${short(level)}".`)
    }
    if (level.includes('+')) {
      return invalid(filter, `+ must stand for a whole level (as in sensors/+/temp), not sit inside a level like "${short(level)}".`)
    }
  }
  return null
}

function invalid(filter: string, sentence: string): ApiErrorData {
  return new ApiError('MQTT_FILTER_INVALID', sentence, { filter: short(filter) }).toJSON()
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
