/**
 * Shared setup for the publish engine's integration tests: a test PKI, a mosquitto over TLS
 * (with an ACL so refusals can be provoked), the whole service on a temp data folder with its
 * events recorded, profiles for MQTT 5 and 3.1.1, and `mosquitto_sub` as a peer we did not write.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventName, EventPayloads, MethodName, MethodParams, MethodResult, OutgoingMessageInput, ProfileSpecInput } from '../../electron/api'
import { OutgoingMessage } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { startMosquitto, type MosquittoBroker, type MosquittoOptions } from '../fixtures/mosquitto'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { callService } from '../fixtures/service-call'
import { waitForLine, waitUntil } from '../fixtures/wait-for-line'

/** Anonymous clients may use lab/, rpc/ and dev/, and only read secret/. */
export const LAB_ACL = ['topic readwrite lab/#', 'topic readwrite rpc/#', 'topic readwrite dev/#', 'topic readwrite bench/#', 'topic read secret/#', ''].join('\n')

export interface PublishWorld {
  pki: TestPki
  broker: MosquittoBroker
  dir: string
  dataDir: string
  service: Service
  events: Array<{ name: EventName; payload: unknown }>
  call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>>
  /** Creates and connects a TLS profile (MQTT 5 unless said). */
  connect(name: string, extra?: Partial<ProfileSpecInput>): Promise<string>
  /** A new service on the same data folder (a restart of the app). */
  restart(): Promise<void>
  close(): Promise<void>
}

export async function startPublishWorld(brokerOptions: Partial<MosquittoOptions> = {}): Promise<PublishWorld> {
  const pki = await generateTestPki()
  const broker = await startMosquitto({
    listeners: [{ name: 'tls', tls: { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }],
    acl: LAB_ACL,
    // Subscribers in these tests must see every message, however fast they come. (Not
    // `max_queued_messages 0`: mosquitto 2.0.11 then drops a client whose publish the ACL denied.)
    extra: ['max_queued_messages 10000000', 'max_queued_bytes 0'],
    ...brokerOptions,
  })
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-publish-'))
  const dataDir = join(dir, 'data')
  const events: PublishWorld['events'] = []
  const open = () =>
    createService({
      dataDir,
      mode: 'browser',
      version: 'test',
      emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void events.push({ name, payload }),
    })
  const world: PublishWorld = {
    pki,
    broker,
    dir,
    dataDir,
    service: await open(),
    events,
    call: (method, params) => callService(world.service, method, params),
    async connect(name, extra = {}) {
      const profile = await world.call('profiles.create', {
        spec: {
          name,
          scheme: 'mqtts',
          host: '127.0.0.1',
          port: broker.port,
          protocolVersion: 5,
          subscriptions: [],
          reconnect: { enabled: false },
          ...extra,
          tls: { ca: [{ name: 'root.crt', pem: pki.root.cert.pem }], useSystemRoots: false, servername: 'localhost' },
        },
      })
      await world.call('connections.connect', { profileId: profile.id })
      return profile.id
    },
    async restart() {
      await world.service.close()
      world.service = await open()
    },
    async close() {
      await world.service.close()
      await broker.stop()
      await pki.cleanup()
      await rm(dir, { recursive: true, force: true })
    },
  }
  return world
}

/** A message with the contract's defaults filled in, as the RPC server would pass it. */
export function message(input: OutgoingMessageInput): OutgoingMessage {
  return OutgoingMessage.parse(input)
}

export interface PeerProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the output once the process exited by itself (e.g. `-C n` reached). */
  exited(timeoutMs?: number): Promise<string>
  stop(): void
}

/** Starts a peer process (mosquitto_sub, a shell responder) and collects what it prints. */
export function startPeer(command: string, args: string[]): PeerProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')))
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')))
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: async (timeoutMs = 20_000) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([done, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${command} did not finish within ${timeoutMs} ms; it printed: ${out}${err}`)), timeoutMs)))])
      clearTimeout(timer)
      return out
    },
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
    },
  }
}

/** The TLS arguments mosquitto_sub/mosquitto_pub need for the world's broker. */
export function peerTls(world: PublishWorld): string[] {
  return ['-h', 'localhost', '-p', String(world.broker.port), '--cafile', world.pki.root.cert.path]
}

/** Waits until the broker logged the SUBSCRIBE of `clientId` (so the peer will see what follows). */
export async function subscribed(world: PublishWorld, clientId: string): Promise<void> {
  await waitForLine(() => world.broker.log(), new RegExp(`Received SUBSCRIBE from ${clientId}`), 10_000)
}

/** The events of one name so far. */
export function eventsOf<E extends EventName>(world: PublishWorld, name: E): EventPayloads[E][] {
  return world.events.filter((e) => e.name === name).map((e) => e.payload as EventPayloads[E])
}

export { waitUntil }

/** A plain mqtt.js subscriber over TLS that counts what arrives per topic. */
export async function countingSubscriber(world: PublishWorld, filter: string, qos: 0 | 1 | 2 = 1): Promise<{ count(topic?: string): number; topics: string[]; end(): Promise<void> }> {
  const mqtt = (await import('mqtt')).default
  const client = await mqtt.connectAsync({
    protocol: 'mqtts',
    host: '127.0.0.1',
    port: world.broker.port,
    ca: world.pki.root.cert.pem,
    servername: 'localhost',
    protocolVersion: 5,
    reconnectPeriod: 0,
  })
  const counts = new Map<string, number>()
  let total = 0
  const topics: string[] = []
  client.on('message', (topic) => {
    total++
    if (!counts.has(topic)) topics.push(topic)
    counts.set(topic, (counts.get(topic) ?? 0) + 1)
  })
  await client.subscribeAsync(filter, { qos })
  return {
    count: (topic) => (topic === undefined ? total : (counts.get(topic) ?? 0)),
    topics,
    end: () => client.endAsync(true),
  }
}
