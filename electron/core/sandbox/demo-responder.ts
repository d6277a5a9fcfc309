/**
 * The Sandbox's demo responder: answers requests published to `sandbox/rpc/<method>` on the
 * request's response topic with its correlation data, so request/response can be tried with no
 * device. aedes 1.2 speaks MQTT 3.1.1, which has no response topic or correlation data, so the
 * requests use the JSON envelope of `publish/request-envelope.ts` (the app writes it on any 3.1.1
 * connection) and the reply is JSON naming the same correlation data. Methods: `echo` (the body
 * back), `time` (the Sandbox's clock), `add` (a body `{"a": 1, "b": 2}` → 3); anything else gets
 * an error reply. Pure: the broker publishes what this returns.
 */
import { readRequest } from '../publish/request-envelope'
import type { FeedMessage } from './demo-source'

export const RPC_PREFIX = 'sandbox/rpc/'

/** The reply to a request, or null when the message is not one this responder answers. */
export function answerRequest(topic: string, payload: Buffer, now: number): FeedMessage | null {
  if (!topic.startsWith(RPC_PREFIX)) return null
  const request = readRequest(payload)
  // Never answer into its own request topics: a reply must not become a request.
  if (!request || request.responseTopic.startsWith(RPC_PREFIX)) return null
  const method = topic.slice(RPC_PREFIX.length)
  const body = request.body ?? (request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, 'base64').toString('latin1') : '')
  const reply: Record<string, unknown> = { correlationData: request.correlationData, method, answeredAt: new Date(now).toISOString() }
  if (method === 'echo') reply.result = body
  else if (method === 'time') reply.result = { epochMs: now, iso: new Date(now).toISOString() }
  else if (method === 'add') {
    const sum = addBody(body)
    if (sum === null) reply.error = 'add wants a JSON body like {"a": 1, "b": 2}'
    else reply.result = sum
  } else reply.error = `unknown method "${method}": try sandbox/rpc/echo, sandbox/rpc/time or sandbox/rpc/add`
  return { topic: request.responseTopic, payload: Buffer.from(JSON.stringify(reply)), retain: false, contentType: 'application/json' }
}

function addBody(body: string): number | null {
  try {
    const value = JSON.parse(body) as { a?: unknown; b?: unknown }
    return typeof value.a === 'number' && typeof value.b === 'number' ? value.a + value.b : null
  } catch {
    return null
  }
}
