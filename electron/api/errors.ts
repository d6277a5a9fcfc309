/**
 * Stable error codes shared by both sides. A code never changes meaning once shipped:
 * tests, the UI and users' bug reports rely on it. Each error also carries one sentence a
 * user can act on (`message`) and optional structured `detail` for the UI.
 */
export const ERROR_CODES = [
  // Transport / contract
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'INTERNAL',
  'TRANSPORT_CLOSED',
  // Network
  'BROKER_UNREACHABLE',
  'BROKER_REFUSED',
  'CONNECT_TIMEOUT',
  'DNS_NOT_FOUND',
  'CONNECTION_LOST',
  // TLS: verification of the broker
  'TLS_UNKNOWN_CA',
  'TLS_SELF_SIGNED',
  'TLS_CHAIN_INCOMPLETE',
  'TLS_HOSTNAME_MISMATCH',
  'TLS_CERT_EXPIRED',
  'TLS_CERT_NOT_YET_VALID',
  'TLS_VERSION_MISMATCH',
  'TLS_ALPN_REQUIRED',
  'TLS_HANDSHAKE_FAILED',
  'TLS_PIN_MISMATCH',
  // TLS: our own client identity
  'TLS_CLIENT_CERT_REQUIRED',
  'TLS_CLIENT_CERT_REJECTED',
  'TLS_KEY_PASSPHRASE',
  'TLS_BAD_PEM',
  'TLS_BAD_PKCS12',
  'TLS_KEY_MISMATCH',
  // MQTT CONNACK and protocol
  'MQTT_BAD_CREDENTIALS',
  'MQTT_NOT_AUTHORIZED',
  'MQTT_CLIENT_ID_REJECTED',
  'MQTT_SERVER_UNAVAILABLE',
  'MQTT_PROTOCOL_VERSION',
  'MQTT_CONNACK_REFUSED',
  'MQTT_PROTOCOL_ERROR',
  'MQTT_NOT_CONNECTED',
  'MQTT_PUBLISH_FAILED',
  'MQTT_SUBSCRIBE_FAILED',
  'MQTT_FILTER_INVALID',
  // Storage and secrets
  'STORAGE_CORRUPT',
  'STORAGE_WRITE_FAILED',
  'SECRET_MISSING',
  'VAULT_LOCKED',
  'VAULT_ITEM_DAMAGED',
  'VAULT_KEY_MISSING',
  'VAULT_BAD_INPUT',
  'VAULT_ITEM_IN_USE',
  'PROFILES_BAD_FILE',
  'PROFILES_WRONG_PASSPHRASE',
  'PROFILES_IMPORT_CONFLICT',
  // Inspector
  /** A schema file (.proto/.avsc) does not parse or compile; the message says where. */
  'SCHEMA_BAD_FILE',
  /** A schema file of that name exists (import again with replace). */
  'SCHEMA_CONFLICT',
  /** Too many chart series, or a series source that cannot give numbers. */
  'CHART_LIMIT',
  // Publishing
  /** The authored payload cannot be encoded (bad JSON, hex, base64, a field of the wrong type); detail has line/column/pointer. */
  'PUBLISH_BAD_PAYLOAD',
  /** The topic (after placeholders) has wildcards or is otherwise not a topic one can publish to. */
  'PUBLISH_BAD_TOPIC',
  /** A template, repeat job or request that does not exist (any more). */
  'PUBLISH_NOT_FOUND',
  /** Too many repeat jobs or open requests at once. */
  'PUBLISH_LIMIT',
  // Recording and replay
  /** A recording, recorder, export, replay job or offline recording that does not exist (any more). */
  'RECORDING_NOT_FOUND',
  /** The disk is full or the file cannot be written: the recording stopped, what was written stays valid. */
  'RECORDING_WRITE_FAILED',
  /** A recording or imported file that cannot be read as any known format; the message says which line. */
  'RECORDING_BAD_FILE',
  /** The connection already has a recorder, or too many replay jobs run. */
  'RECORDING_BUSY',
  /** Replaying into a different broker than the recording's needs confirmation; detail names both. */
  'REPLAY_OTHER_BROKER',
  /** A recording opened offline is read-only: no publishing, subscribing or deleting. */
  'OFFLINE_READ_ONLY',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** The shape every error has when it crosses the wire. */
export interface ApiErrorData {
  code: ErrorCode
  message: string
  detail?: Record<string, unknown>
}

/** An Error that carries an ApiErrorData; thrown on the main side, rebuilt on the renderer side. */
export class ApiError extends Error implements ApiErrorData {
  readonly code: ErrorCode
  readonly detail?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.detail = detail
  }

  toJSON(): ApiErrorData {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail }
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

/** Turns anything thrown into wire data without leaking stack traces or internals. */
export function toErrorData(err: unknown): ApiErrorData {
  if (err instanceof ApiError) return err.toJSON()
  if (err && typeof err === 'object' && isErrorCode((err as ApiErrorData).code)) {
    const e = err as ApiErrorData
    return { code: e.code, message: String(e.message), detail: e.detail }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` }
}
