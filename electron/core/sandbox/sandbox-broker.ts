/**
 * The zero-setup default connection: an in-process aedes broker behind real TLS on
 * 127.0.0.1, with its own CA and a live demo feed. A new user sees a busy topic tree over a
 * verified TLS connection before configuring anything, and the app's whole TLS path
 * (trust anchors, server name checks, inspector) runs exactly as it does against a real broker.
 */
import { Aedes } from 'aedes'
import { once } from 'node:events'
import type { AddressInfo, Socket } from 'node:net'
import { join } from 'node:path'
import * as tls from 'node:tls'
import { ApiError, ProfileSpec, type Profile } from '../../api'
import { DemoFeed, type DemoFeedOptions, type FeedMessage } from './demo-feed'
import { answerRequest } from './demo-responder'
import { TELEMETRY_TYPE } from './demo-telemetry-proto'
import { loadOrCreateSandboxIdentity, SANDBOX_HOST, SANDBOX_SERVERNAME } from './sandbox-identity'

/** The id of the built-in Sandbox profile. */
export const SANDBOX_PROFILE_ID = 'sandbox'

/** Where the Sandbox listens this run, and what a client must trust to verify it. */
export interface SandboxEndpoint {
  host: typeof SANDBOX_HOST
  port: number
  /** The Sandbox CA, the only anchor the Sandbox profile trusts. */
  caPem: string
  /** The name its certificate is issued for (it also carries 127.0.0.1 as an IP SAN). */
  servername: string
}

export interface SandboxBrokerOptions {
  /** The app's data folder; the Sandbox keeps its CA and certificate in `<dataDir>/sandbox/`. */
  dataDir: string
  /** Overrides for the demo feed (tests use a fixed seed or a faster tick). */
  feed?: Partial<Pick<DemoFeedOptions, 'intervalMs' | 'updatesPerTick' | 'seed' | 'sparkplug'>>
}

interface Running {
  endpoint: SandboxEndpoint
  broker: Aedes
  server: tls.Server
  sockets: Set<Socket>
  feed: DemoFeed
}

export class SandboxBroker {
  /** aedes speaks MQTT 3.1.1 only (it refuses protocol level 5 in CONNECT). */
  static readonly protocolVersion = 4 as const

  /** The profile created for the Sandbox on first start; host and port are resolved at connect time. */
  static defaultProfileSpec(): ProfileSpec {
    return ProfileSpec.parse({
      name: 'Sandbox',
      scheme: 'mqtts',
      host: SANDBOX_HOST,
      // Placeholder: the schema wants a real port, the live one is chosen when the broker starts.
      port: 8883,
      protocolVersion: SandboxBroker.protocolVersion,
      // '#' never matches topics starting with '$', so the broker statistics need their own filter.
      subscriptions: [{ filter: '#' }, { filter: '$SYS/#' }],
      tls: { ca: [], useSystemRoots: false, servername: SANDBOX_SERVERNAME, verify: true },
      // The demo gateways' Protobuf: decoded with its field names once sandbox/schemas/telemetry.proto is imported.
      decoderRules: [{ filter: 'sandbox/proto/#', decoder: 'protobuf', protobufType: TELEMETRY_TYPE }],
    })
  }

  private readonly options: SandboxBrokerOptions
  private running?: Promise<Running>

  constructor(options: SandboxBrokerOptions) {
    this.options = options
  }

  /** True between a successful start and the next stop. */
  get started(): boolean {
    return this.running !== undefined
  }

  /** Starts the broker (once; concurrent and repeated calls share it) and says where it listens. */
  async start(): Promise<SandboxEndpoint> {
    if (!this.running) {
      const launching = this.launch()
      this.running = launching
      launching.catch(() => {
        if (this.running === launching) this.running = undefined
      })
    }
    return (await this.running).endpoint
  }

  /** The Sandbox profile points at wherever the embedded broker listens this run; other profiles pass through. */
  async resolveProfile(profile: Profile): Promise<Profile> {
    if (profile.builtin !== 'sandbox') return profile
    const endpoint = await this.start()
    return {
      ...profile,
      scheme: 'mqtts',
      host: endpoint.host,
      port: endpoint.port,
      tls: { ...profile.tls, ca: [{ name: 'Sandbox CA', pem: endpoint.caPem }], useSystemRoots: false, servername: endpoint.servername },
    }
  }

  /** Stops the feed, disconnects every client and closes the listener. Safe to call any time. */
  async stop(): Promise<void> {
    const running = this.running
    this.running = undefined
    if (!running) return
    let r: Running
    try {
      r = await running
    } catch {
      return
    }
    await shutdown(r)
  }

  private async launch(): Promise<Running> {
    let identity
    try {
      identity = await loadOrCreateSandboxIdentity(join(this.options.dataDir, 'sandbox'))
    } catch (err) {
      throw new ApiError('BROKER_UNREACHABLE', `The built-in Sandbox broker could not prepare its certificate in ${join(this.options.dataDir, 'sandbox')} (${(err as Error).message}); check that the folder is writable.`)
    }

    const broker = await Aedes.createBroker()
    const startedAt = Date.now()
    let messagesPublished = 0
    broker.on('publish', () => {
      messagesPublished++
    })

    const sockets = new Set<Socket>()
    const server = tls.createServer({ key: identity.keyPem, cert: identity.certPem, minVersion: 'TLSv1.2' }, (socket) => {
      broker.handle(socket)
    })
    server.on('connection', (socket: Socket) => {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
    })
    // A client that rejects our certificate (or speaks plain MQTT) is its own problem, not a crash.
    server.on('tlsClientError', () => {})

    try {
      server.listen(0, SANDBOX_HOST)
      await once(server, 'listening')
    } catch (err) {
      broker.close()
      throw new ApiError('BROKER_UNREACHABLE', `The built-in Sandbox broker could not listen on ${SANDBOX_HOST} (${(err as Error).message}).`)
    }

    const feed = new DemoFeed({
      ...this.options.feed,
      publish: (message) => publishInto(broker, message),
      stats: () => ({ clients: broker.connectedClients, messagesPublished, startedAt }),
    })
    // The Sparkplug edge node re-births for a new subscriber and on an NCMD Rebirth.
    broker.on('subscribe', (subscriptions) => feed.subscribed(subscriptions.map((s) => s.topic)))
    broker.on('publish', (packet, client) => {
      if (!client) return
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload
      feed.received(packet.topic, payload)
      // The demo responder answers requests on sandbox/rpc/ at once (not on the feed's tick).
      const reply = answerRequest(packet.topic, payload, Date.now())
      if (reply) void publishInto(broker, reply).catch(() => undefined)
    })
    await feed.start()

    const port = (server.address() as AddressInfo).port
    return { endpoint: { host: SANDBOX_HOST, port, caPem: identity.caPem, servername: SANDBOX_SERVERNAME }, broker, server, sockets, feed }
  }
}

function publishInto(broker: Aedes, message: FeedMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (broker.closed) return reject(new Error('broker closed'))
    // The content type is an MQTT 5 property: aedes writes 3.1.1 packets, so it is dropped on the wire until the broker speaks 5.
    const properties = message.contentType ? { properties: { contentType: message.contentType } } : {}
    broker.publish({ cmd: 'publish', topic: message.topic, payload: message.payload, qos: 0, retain: message.retain, dup: false, ...properties }, (err) => (err ? reject(err) : resolve()))
  })
}

async function shutdown(r: Running): Promise<void> {
  // The feed's last words (the Sparkplug NDEATH) reach subscribers before the broker closes.
  await r.feed.stop()
  await new Promise<void>((resolve) => r.broker.close(() => resolve()))
  const closed = new Promise<void>((resolve) => r.server.close(() => resolve()))
  // Connections still in the TLS handshake are not aedes clients yet; end them too.
  for (const socket of r.sockets) socket.destroy()
  await closed
}
