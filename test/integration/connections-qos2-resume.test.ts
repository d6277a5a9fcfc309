/**
 * Delivery edge cases against a hand-made broker that controls each packet and each write.
 *
 * Messages in the very TCP write that carries CONNACK (what a resumed session's queue looks
 * like) must reach the tree: mqtt.js acknowledges them whether anyone listens or not.
 *
 * QoS 2 across a reconnect: the first
 * connection delivers a PUBLISH, we answer PUBREC, and the socket dies before PUBREL. The broker
 * resumes the session on the next connection and sends only PUBREL (MQTT 5 §4.3.3, §4.4). The
 * message must reach the tree then, exactly once: the session keeps what it PUBREC'd across
 * the fresh mqtt.js client of each attempt.
 */
import net from 'node:net'
import { generate, parser, type Packet } from 'mqtt-packet'
import type { IPublishPacket } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { recordingManager, testProfile } from './connections-helpers'

interface RawConnection {
  socket: net.Socket
  packets: Packet[]
  /** Resolves with the first packet (past or future) of `cmd`. */
  next(cmd: Packet['cmd'], timeoutMs?: number): Promise<Packet>
  /** Resolves with the sorted distinct messageIds of `cmd` packets once there are `count` of them. */
  messageIds(cmd: Packet['cmd'], count: number, timeoutMs?: number): Promise<number[]>
  /** Writes the packets in one socket write. */
  send(...packets: Record<string, unknown>[]): void
}

/** A TCP server that hands each client connection to the test, speaking MQTT 5 via mqtt-packet. */
function rawBroker(onConnection: (conn: RawConnection) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    const packets: Packet[] = []
    const waiters = new Set<() => void>()
    const p = parser({ protocolVersion: 5 })
    p.on('packet', (packet: Packet) => {
      packets.push(packet)
      waiters.forEach((w) => w())
    })
    socket.on('data', (d) => p.parse(d))
    /** Resolves with `found(packets)` once it is defined, or fails at the deadline saying what came. */
    const until = <T>(what: string, found: () => T | undefined, timeoutMs: number): Promise<T> =>
      new Promise((resolve, reject) => {
        const check = () => {
          const value = found()
          if (value === undefined) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(value)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`No ${what} within ${timeoutMs} ms; got ${packets.map((x) => x.cmd).join(', ')}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    onConnection({
      socket,
      packets,
      next: (cmd, timeoutMs = 10_000) => until(cmd, () => packets.find((x) => x.cmd === cmd), timeoutMs),
      messageIds: (cmd, count, timeoutMs = 10_000) =>
        until(
          `${count} distinct ${cmd} messageIds`,
          () => {
            const ids = [...new Set(packets.flatMap((x) => (x.cmd === cmd && 'messageId' in x && typeof x.messageId === 'number' ? [x.messageId] : [])))]
            return ids.length >= count ? ids.sort((a, b) => a - b) : undefined
          },
          timeoutMs,
        ),
      send: (...packets) => socket.write(Buffer.concat(packets.map((packet) => generate(packet as unknown as Packet, { protocolVersion: 5 })))),
    })
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy()
            server.close(() => done())
          }),
      })
    })
  })
}

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

describe('messages behind CONNACK', () => {
  it.each([0, 1, 2] as const)('delivers QoS %i messages sent in the same write as CONNACK, and acknowledges them', async (qos) => {
    // Per acknowledgement packet the client must send, the messageIds it acknowledged.
    let acks: Promise<number[][]> = Promise.resolve([])
    const broker = await rawBroker((conn) => {
      if (qos === 1) acks = Promise.all([conn.messageIds('puback', 5)])
      if (qos === 2) acks = Promise.all([conn.messageIds('pubrec', 5), conn.messageIds('pubcomp', 5)])
      acks.catch(() => undefined)
      void (async () => {
        await conn.next('connect')
        const queued = [1, 2, 3, 4, 5].map((n) => ({ cmd: 'publish', topic: `queued/${n}`, payload: Buffer.from(String(n)), qos, messageId: qos ? n : undefined, retain: false, dup: false }))
        conn.send({ cmd: 'connack', sessionPresent: true, reasonCode: 0 }, ...queued)
        if (qos === 2) {
          await conn.next('pubrec')
          for (const n of [1, 2, 3, 4, 5]) conn.send({ cmd: 'pubrel', messageId: n })
        }
        const sub = (await conn.next('subscribe')) as Packet & { messageId: number; subscriptions: unknown[] }
        conn.send({ cmd: 'suback', messageId: sub.messageId, granted: sub.subscriptions.map(() => qos) })
      })().catch(() => conn.socket.destroy())
    })
    close = broker.close
    const received: string[] = []
    const rec = recordingManager({ onMessage: (_id: string, topic: string) => received.push(topic) })
    const profile = testProfile({ port: broker.port, protocolVersion: 5, clientId: 'behind-connack', cleanStart: false, sessionExpiryInterval: 600, subscriptions: [{ filter: 'queued/#', qos }] })
    await rec.manager.connect(profile, {})
    await rec.waitForState(profile.id, (s) => s.messageCount >= 5, 10_000).catch(() => undefined)
    expect(`${received.length} of 5`).toBe('5 of 5')
    expect(received).toEqual(['queued/1', 'queued/2', 'queued/3', 'queued/4', 'queued/5'])
    const ids = [1, 2, 3, 4, 5]
    expect(await acks).toEqual(qos === 0 ? [] : qos === 1 ? [ids] : [ids, ids])
    await rec.manager.closeAll()
  })
})

describe('QoS 2 through a reconnect', () => {
  it('delivers a message whose PUBREL arrives only after the reconnect, once', async () => {
    let connections = 0
    let resumed: (pubcomp: Promise<Packet>) => void = () => undefined
    const pubcomp = new Promise<Packet>((resolve, reject) => {
      resumed = resolve
      setTimeout(() => reject(new Error('the session never reconnected to the broker')), 20_000)
    })
    pubcomp.catch(() => undefined)
    const broker = await rawBroker((conn) => {
      const n = ++connections
      void (async () => {
        await conn.next('connect')
        conn.send({ cmd: 'connack', sessionPresent: n > 1, reasonCode: 0 })
        const sub = (await conn.next('subscribe')) as Packet & { messageId: number; subscriptions: unknown[] }
        conn.send({ cmd: 'suback', messageId: sub.messageId, granted: sub.subscriptions.map(() => 2) })
        if (n === 1) {
          conn.send({ cmd: 'publish', topic: 'q2/once', payload: Buffer.from('exactly once'), qos: 2, messageId: 7, retain: false, dup: false })
          await conn.next('pubrec')
          conn.socket.destroy()
        } else {
          conn.send({ cmd: 'pubrel', messageId: 7 })
          resumed(conn.next('pubcomp'))
        }
      })().catch(() => conn.socket.destroy())
    })
    close = broker.close

    const received: string[] = []
    const rec = recordingManager({
      onMessage: (_id: string, topic: string, payload: Buffer, _packet: IPublishPacket) => received.push(`${topic}=${payload.toString()}`),
    })
    const profile = testProfile({
      port: broker.port,
      protocolVersion: 5,
      clientId: 'qos2-resume',
      cleanStart: false,
      sessionExpiryInterval: 600,
      subscriptions: [{ filter: 'q2/#', qos: 2 }],
      reconnect: { enabled: true, initialDelayMs: 100, maxDelayMs: 200 },
    })
    await rec.manager.connect(profile, {})
    const lost = await rec.waitForState(profile.id, (s) => s.status === 'reconnecting')
    await rec.waitForState(profile.id, (s) => s.status === 'connected' && rec.states.indexOf(s) > rec.states.indexOf(lost))
    // PUBCOMP goes out after the message was handed to the tree.
    await pubcomp
    expect(received).toEqual(['q2/once=exactly once'])
    expect(rec.manager.list()[0].messageCount).toBe(1)
    await rec.manager.closeAll()
  })
})
