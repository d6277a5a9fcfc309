/**
 * Request/response as the form writes it: a response topic to suggest, correlation data typed or
 * generated (text or hex), and each request's state in words, in the UI's language.
 */
import type { CorrelationData, RequestState } from '@api'
import { formatCount } from '../format'
import { t } from '../i18n'
import { localizedError } from '../i18n/errors'

/** `<topic>/reply`, or under `reply/` with a unique id when the topic is empty or a pattern. */
export function suggestResponseTopic(topic: string, unique: boolean, id: () => string = randomId): string {
  const clean = topic.trim()
  if (unique || clean === '' || clean.includes('{{')) return `reply/${id()}`
  return `${clean.replace(/\/+$/, '')}/reply`
}

/** Random bytes as lowercase hex (16 bytes: the same size the main side generates). */
export function randomHex(bytes = 16): string {
  const buf = new Uint8Array(bytes)
  crypto.getRandomValues(buf)
  return [...buf].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function randomId(): string {
  return randomHex(6)
}

/** Why correlation data cannot be sent as written, or null when it can (empty means "generate"). */
export function correlationProblem(data: CorrelationData): string | null {
  if (data.encoding === 'utf8' || data.value.trim() === '') return null
  const digits = data.value.replace(/\s+/g, '')
  if (!/^[0-9a-fA-F]*$/.test(digits)) return t('publish.requestState.hexDigits')
  if (digits.length % 2 !== 0) return t('publish.requestState.hexEven')
  return null
}

/** The correlation data to send: undefined when left empty, so the main side generates it. */
export function correlationToSend(data: CorrelationData): CorrelationData | undefined {
  if (data.value.trim() === '') return undefined
  return data.encoding === 'hex' ? { encoding: 'hex', value: data.value.replace(/\s+/g, '').toLowerCase() } : data
}

/** The request's state in words; `now` for the seconds left while it waits. */
export function requestStateText(request: RequestState, now: number): string {
  const replies = request.replies.length
  const n = formatCount(replies)
  const left = formatCount(Math.max(0, Math.ceil((request.sentAt + request.timeoutMs - now) / 1000)))
  switch (request.state) {
    case 'waiting':
      return t('publish.requestState.waiting', { left })
    case 'answered':
      return t('publish.requestState.listening', { n, left }, replies)
    case 'closed':
      return t('publish.requestState.closed', { n }, replies)
    case 'timedOut':
      return t('publish.requestState.timedOut', { timeout: formatCount(request.timeoutMs / 1000) })
    case 'cancelled':
      return replies > 0 ? t('publish.requestState.cancelledAfter', { n }, replies) : t('publish.requestState.cancelled')
    case 'failed':
      return t('publish.requestState.failed', { error: request.error ? localizedError(request.error) : t('publish.requestState.notSent') })
  }
}

/** True while the request still listens for replies. */
export function requestOpen(request: RequestState): boolean {
  return request.state === 'waiting' || request.state === 'answered'
}
