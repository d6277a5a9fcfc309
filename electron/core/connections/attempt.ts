/**
 * One connection attempt: open the transport, then run the MQTT handshake over it with a fresh
 * mqtt.js client. It either yields a connected client or rejects with a classified ApiError.
 * A fresh client per attempt means no state from a dead socket leaks into the next one.
 */
import type tls from 'node:tls'
import { MqttClient, type IClientOptions, type OnConnectCallback, type Packet } from 'mqtt'
import type { ApiError } from '../../api'
import { attemptFacts, classifyConnack, classifyError, closedEarly, timeoutError, type ClassifyContext } from '../tls/classify-error'
import { noteError, openTransport, type AttemptProbe, type TransportTarget } from './transport'

/** The CONNACK packet as mqtt.js hands it over. */
export type ConnackPacket = Parameters<OnConnectCallback>[0]

export interface AttemptSuccess {
  client: MqttClient
  connack: ConnackPacket
  probe: AttemptProbe
}

export interface AttemptHandle {
  result: Promise<AttemptSuccess>
  /** Abandons the attempt; its promise rejects (and nobody needs to await it). */
  cancel(): void
}

export interface AttemptInput {
  target: TransportTarget
  mqtt: IClientOptions
  timeoutMs: number
  context: ClassifyContext
  onTlsSocket?: (socket: tls.TLSSocket) => void
}

/** Starts an attempt. The probe stays attached to the socket after success, for loss diagnosis. */
export function startAttempt(input: AttemptInput): AttemptHandle {
  const probe: AttemptProbe = { timings: { startedAt: Date.now() }, peer: null, handshakeDone: false, error: undefined }
  const transport = openTransport(input.target, probe, input.onTlsSocket)
  let client: MqttClient | null = null
  let settled = false
  let rejectAttempt: (err: ApiError) => void = () => undefined

  const explain = (): ApiError => {
    const ctx: ClassifyContext = { ...input.context, ...attemptFacts(probe) }
    return probe.error === undefined ? closedEarly(ctx) : classifyError(probe.error, ctx)
  }

  const result = new Promise<AttemptSuccess>((resolve, reject) => {
    rejectAttempt = (err) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      transport.destroy()
      client?.end(true)
      reject(err)
    }
    const timer = setTimeout(() => {
      rejectAttempt(timeoutError({ ...input.context, ...attemptFacts(probe) }))
    }, input.timeoutMs)

    transport.ready.then(
      (stream) => {
        if (settled) return
        let connack: ConnackPacket | null = null
        const c = new MqttClient(() => stream, { ...input.mqtt, connectTimeout: input.timeoutMs })
        client = c
        // Only the handshake needs to see raw packets; the listener goes at CONNACK so the
        // session's per-message path does not pay for it.
        const onPacket = (packet: Packet) => {
          if (packet.cmd === 'connack') connack = packet
        }
        c.on('packetreceive', onPacket)
        c.on('error', (err) => {
          // CONNACK refusals are explained from the packet itself; everything else is noted.
          if (!refusalCode(connack)) noteError(probe, err)
        })
        c.once('connect', (packet) => {
          c.off('packetreceive', onPacket)
          if (settled) return
          settled = true
          clearTimeout(timer)
          probe.timings.connackAt = Date.now()
          // From here on the probe explains a lost session, not this attempt.
          probe.error = undefined
          resolve({ client: c, connack: packet, probe })
        })
        c.once('close', () => {
          if (settled) return
          const refused = connack as ConnackPacket | null
          const code = refusalCode(refused)
          if (refused && code) {
            rejectAttempt(
              classifyConnack(code, input.mqtt.protocolVersion === 5 ? 5 : 4, {
                reasonString: refused.properties?.reasonString,
                serverReference: refused.properties?.serverReference,
              }, input.context),
            )
          } else {
            rejectAttempt(explain())
          }
        })
        c.connect()

        function refusalCode(packet: ConnackPacket | null): number {
          if (!packet) return 0
          return (input.mqtt.protocolVersion === 5 ? packet.reasonCode : packet.returnCode) ?? 0
        }
      },
      () => rejectAttempt(explain()),
    )
  })
  result.catch(() => undefined)

  return {
    result,
    cancel: () => rejectAttempt(closedEarly(input.context)),
  }
}
