/**
 * The connection engine's side of the failure model (failure-model.ts): whatever went wrong
 * while reaching a broker becomes an {@link ApiError} with a stable code and one sentence the
 * user can act on. The sentence is derived from the same Failure the TLS inspector shows as its
 * diagnosis, so the connection header and the inspector always agree. Pure.
 */
import { ApiError, type ApiErrorData } from '../../api'
import type { PeerSummary } from './peer-summary'
import { classifyFailure, closedEarlyFailure, connackFailure, failureError, timeoutFailure, type ConnackExtras, type FailureContext } from './failure-model'

/** What was known about the attempt when it failed. */
export type ClassifyContext = FailureContext
export type { ConnackExtras }

/** What one attempt learned (see AttemptProbe in connections/transport.ts), as classifier facts. */
export function attemptFacts(probe: { peer: PeerSummary | null; handshakeDone: boolean; serverFlightSeen?: boolean; timings: { socketAt?: number } }): Partial<ClassifyContext> {
  return { peer: probe.peer, handshakeDone: probe.handshakeDone, serverFlightSeen: probe.serverFlightSeen, tcpConnected: probe.timings.socketAt !== undefined }
}

/** The ALPN protocols a prepared TLS connection offers, as both the engine and the inspector read them. */
export function alpnOffered(prepared: { options: { ALPNProtocols?: unknown } } | null | undefined): string[] | undefined {
  if (!prepared) return undefined
  const list = prepared.options.ALPNProtocols
  if (!Array.isArray(list)) return []
  return list.map((p: unknown) => (typeof p === 'string' ? p : Buffer.from(p as Uint8Array).toString('latin1')))
}

/** Maps any thrown value from a connection attempt to an ApiError. ApiErrors pass through. */
export function classifyError(err: unknown, ctx: ClassifyContext): ApiError {
  if (err instanceof ApiError) return err
  return failureError(classifyFailure(err, ctx) ?? closedEarlyFailure(ctx))
}

/** The attempt did not finish within the connect timeout. */
export function timeoutError(ctx: ClassifyContext): ApiError {
  return failureError(timeoutFailure(ctx))
}

/** The socket closed before the broker answered the MQTT CONNECT, with no better clue. */
export function closedEarly(ctx: ClassifyContext, code?: string): ApiError {
  return failureError(closedEarlyFailure(ctx, code))
}

/** CONNACK return codes (3.1.1) and reason codes (5.0) that refuse the session. */
export function classifyConnack(code: number, protocolVersion: 4 | 5, extras: ConnackExtras, ctx: ClassifyContext): ApiError {
  return failureError(connackFailure(code, protocolVersion, extras, ctx, reasonName))
}

/** A refused subscription (SUBACK code ≥ 0x80), as stored on the subscription. */
export function classifySuback(code: number, filter: string, reasonString?: string): ApiErrorData {
  const said = reasonString ? ` (the broker says: "${reasonString}")` : ''
  const advice: Record<number, string> = {
    0x87: 'the broker\'s access rules do not allow it',
    0x8f: 'the filter is not valid',
    0x91: 'its packet identifier is in use',
    0x97: 'a quota was exceeded',
    0x9e: 'the broker does not support shared subscriptions',
    0xa1: 'the broker does not support subscription identifiers',
    0xa2: 'the broker does not support wildcard subscriptions',
  }
  const why = advice[code] ?? (code === 0x80 ? 'the broker refused it without saying why (often its access rules)' : (REASON_NAMES[code] ?? `reason 0x${code.toString(16)}`))
  return new ApiError('MQTT_SUBSCRIBE_FAILED', `The subscription to ${filter} was refused: ${why}${said}.`, { subackCode: code }).toJSON()
}

/** The MQTT 5 name of a reason code, in words ("not authorized"), or its hex value. */
export function reasonName(code: number): string {
  return REASON_NAMES[code] ?? `reason code 0x${code.toString(16).padStart(2, '0')}`
}

const REASON_NAMES: Record<number, string> = {
  0x10: 'no matching subscribers',
  0x80: 'unspecified error',
  0x81: 'malformed packet',
  0x82: 'protocol error',
  0x83: 'implementation specific error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorized',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8c: 'bad authentication method',
  0x8f: 'topic filter invalid',
  0x90: 'topic name invalid',
  0x95: 'packet too large',
  0x97: 'quota exceeded',
  0x99: 'payload format invalid',
  0x9a: 'retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'use another server',
  0x9d: 'server moved',
  0x9f: 'connection rate exceeded',
}
