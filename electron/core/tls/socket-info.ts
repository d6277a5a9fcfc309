/**
 * What an observer of a TLS socket (the inspector) is told about the attempt that opened it.
 * Defined on the TLS side, so the connection engine hands it over without tls/ importing
 * connections/.
 */
import type { ProtocolVersion } from '../../api'
import type { PreparedTls } from './tls-options'

/** What an observer of a TLS socket needs to know about the attempt that opened it. */
export interface TlsSocketInfo {
  host: string
  port: number
  protocolVersion: ProtocolVersion
  /** The options the socket was opened with, and how the broker is judged. */
  tls: PreparedTls
  /** The TLS socket carries a WebSocket (wss). */
  websocket?: boolean
}
