/**
 * One connection attempt: open the transport, then run the MQTT handshake over it with a fresh
 * mqtt.js client. It either yields a connected client or rejects with a classified ApiError.
 * A fresh client per attempt means no state from a dead socket leaks into the next one.
 */
import type tls from 'node:tls'
import { MqttClient, type IClientOptions, type IPublishPacket, type OnConnectCallback, type Packet } from 'mqtt'
import type { ApiError } from '../../api'
import { attemptFacts, classifyError, closedEarly, timeoutError, type ClassifyContext } from '../tls/classify-error'
import { classifyConnack } from './mqtt-reasons'
import { noteError, openTransport, type AttemptProbe, type TransportTarget } from './transport'
import { withPublishParser } from './publish-parser'

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
  /**
   * Every message the broker delivers on this attempt's client once it succeeded. Attached
   * before CONNECT is written: a resumed session's queue arrives right behind CONNACK, often in
   * the same read, and mqtt.js acknowledges each message whether anyone listened or not.
   */
  onMessage?: (topic: string, payload: Buffer, packet: IPublishPacket) => void
  /** Called synchronously with an accepting CONNACK, before any packet behind it is handled. */
  onConnack?: (connack: ConnackPacket) => void
}

/** Starts an attempt. The probe stays attached to the socket after success, for loss diagnosis. */
export function startAttempt(input: AttemptInput): AttemptHandle {
  const probe: AttemptProbe = { timings: { startedAt: Date.now() }, peer: null, handshakeDone: false, error: undefined }
  const transport = openTransport(input.target, probe, input.onTlsSocket)
  let client: MqttClient | null = null
  let settled = false
  let abandoned = false
  let rejectAttempt: (err: ApiError) => void = () => undefined

  const explain = (): ApiError => {
    const ctx: ClassifyContext = { ...input.context, ...attemptFacts(probe) }
    return probe.error === undefined ? closedEarly(ctx) : classifyError(probe.error, ctx)
  }

  const result = new Promise<AttemptSuccess>((resolve, reject) => {
    rejectAttempt = (err) => {
      if (settled) return
      settled = true
      abandoned = true
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
        // Only the handshake needs to see raw packets; the listener goes at 'connect' so the
        // session's per-message path does not pay for it. mqtt.js emits 'connect' only after
        // replaying its outgoing store, a few ticks after CONNACK, while it already handles the
        // packets behind CONNACK: so "accepted" is decided here, on the packet itself.
        let accepted = false
        const onPacket = (packet: Packet) => {
          if (packet.cmd !== 'connack') return
          connack = packet
          if (!settled && !refusalCode(packet)) {
            accepted = true
            input.onConnack?.(packet)
          }
        }
        c.on('packetreceive', onPacket)
        const live = () => accepted && !abandoned
        const deliver = input.onMessage
        if (deliver) {
          c.on('message', (topic, payload, packet) => {
            if (live()) deliver(topic, payload, packet)
          })
        }
        // mqtt.js acknowledges a message (PUBACK, PUBCOMP) once handleMessage calls back. An
        // abandoned attempt's messages reach no one, so they are never acknowledged: the broker
        // keeps them for the next session instead of us dropping them.
        const handleMessage = c.handleMessage.bind(c)
        c.handleMessage = (packet, done) => {
          if (live()) handleMessage(packet, done)
        }
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
        // This client, and only it, parses its packets with our PUBLISH fast path.
        withPublishParser(() => c.connect())

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
