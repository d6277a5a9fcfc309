/**
 * The connection engine's side of the failure model (failure-model.ts): whatever went wrong
 * while reaching a broker becomes an {@link ApiError} with a stable code and one sentence the
 * user can act on. The sentence is derived from the same Failure the TLS inspector shows as its
 * diagnosis, so the connection header and the inspector always agree. Pure. MQTT's own refusals
 * (CONNACK and SUBACK reason codes) are classified in connections/mqtt-reasons.ts.
 */
import { ApiError } from '../../api'
import type { PeerSummary } from './peer-summary'
import { classifyFailure, closedEarlyFailure, failureError, timeoutFailure, type FailureContext } from './failure-model'

/** What was known about the attempt when it failed. */
export type ClassifyContext = FailureContext

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
