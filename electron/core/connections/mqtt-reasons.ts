/**
 * MQTT's own answers in words: CONNACK return codes (3.1.1) and reason codes (5.0) that refuse a
 * session, SUBACK codes that refuse a subscription, and the MQTT 5 reason names. They belong to
 * the connection engine; the failure model (tls/failure-model.ts) receives the names as a
 * function, so tls/ never imports connections/. Pure.
 */
import { ApiError, type ApiErrorData } from '../../api'
import { connackFailure, failureError, type ConnackExtras } from '../tls/failure-model'
import type { ClassifyContext } from '../tls/classify-error'

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
  0x91: 'packet identifier in use',
  0x92: 'packet identifier not found',
  0x93: 'receive maximum exceeded',
  0x94: 'topic alias invalid',
  0x95: 'packet too large',
  0x96: 'message rate too high',
  0x97: 'quota exceeded',
  0x99: 'payload format invalid',
  0x9a: 'retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'use another server',
  0x9d: 'server moved',
  0x9f: 'connection rate exceeded',
}
