/**
 * A persistent session (fixed client id, clean start off, session expiry) must lose nothing:
 * what the broker queued while we were away arrives right behind CONNACK, often in the same
 * socket read, and every one of those messages has to reach the topic tree and the counters,
 * on a fresh connection manager (as after an app restart) and on every automatic reconnect.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connectAsync, type MqttClient } from 'mqtt'
import type { IPublishPacket } from 'mqtt'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { recordingManager, testProfile } from './connections-helpers'

let broker: MosquittoBroker | undefined
const clients: MqttClient[] = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.endAsync(true)))
  await broker?.stop()
  broker = undefined
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

/** Counts what the tree tap receives, by the sequence number each payload carries. */
function sequenceCounter() {
  const seen = new Map<number, number>()
  let total = 0
  const listeners = new Set<() => void>()
  return {
    onMessage: (_id: string, _topic: string, payload: Buffer, _packet: IPublishPacket) => {
      const n = Number(payload.toString())
      if (Number.isInteger(n)) seen.set(n, (seen.get(n) ?? 0) + 1)
      total++
      listeners.forEach((l) => l())
    },
    get distinct() {
      return seen.size
    },
    get total() {
      return total
    },
    has: (n: number) => seen.has(n),
    /** Resolves once `check()` holds, or with false at the deadline (the caller asserts, with figures). */
    until(check: () => boolean, timeoutMs: number): Promise<boolean> {
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer)
          listeners.delete(tryNow)
          resolve(ok)
        }
        const tryNow = () => {
          if (check()) done(true)
        }
        const timer = setTimeout(() => done(check()), timeoutMs)
        listeners.add(tryNow)
        tryNow()
      })
    },
  }
}

function mosquittoPub(port: number, qos: 1 | 2, topic: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', ['-V', '5', '-h', '127.0.0.1', '-p', String(port), '-q', String(qos), '-t', topic, '-l'], { stdio: ['pipe', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`mosquitto_pub exited with ${code}: ${stderr}`))
    })
    child.stdin.end(lines.join('\n') + '\n')
  })
}

async function publisher(port: number, extra: Parameters<typeof connectAsync>[1] = {}): Promise<MqttClient> {
  const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, reconnectPeriod: 0, ...extra })
  clients.push(client)
  return client
}

describe.each([1, 2] as const)('a persistent MQTT 5 session, QoS %i', (qos) => {
  it('delivers all 1,000 messages queued while away to the tree of a new connection manager', async () => {
    broker = await startMosquitto({ listeners: [{}], extra: ['max_queued_messages 5000', 'max_queued_bytes 0'] })
    const clientId = `persistent-${qos}-${process.pid}`
    const profile = testProfile({
      port: broker.port,
      protocolVersion: 5,
      clientId,
      cleanStart: false,
      sessionExpiryInterval: 600,
      subscriptions: [{ filter: '#', qos }],
    })

    // First run: establish the session and its subscription, then leave.
    const first = recordingManager()
    await first.manager.connect(profile, {})
    await first.manager.closeAll()

    // As in the report: mosquitto_pub -V 5, one message per stdin line; it exits once all are acknowledged.
    await mosquittoPub(broker.port, qos, 'queued/line', Array.from({ length: 1000 }, (_, i) => String(i)))

    // "App restart": a brand-new manager and session for the same profile.
    const counter = sequenceCounter()
    const second = recordingManager({ onMessage: counter.onMessage })
    const state = await second.manager.connect(profile, {})
    expect(state.status).toBe('connected')
    await counter.until(() => counter.distinct >= 1000, 20_000)
    expect(`${counter.distinct} of 1000`).toBe('1000 of 1000')
    // The message counters saw the same messages as the tree (both are fed in the same call).
    expect(second.manager.list()[0].messageCount).toBe(counter.total)
    await second.manager.closeAll()
  })
})

describe('a persistent MQTT 5 session through broker restarts', () => {
  it('gets every message a QoS 1 publisher had acknowledged while mosquitto restarts 20 times', async () => {
    const persistence = await mkdtemp(join(tmpdir(), 'mqtts-persist-'))
    dirs.push(persistence)
    broker = await startMosquitto({
      listeners: [{}],
      extra: ['persistence true', `persistence_location ${persistence}/`, 'max_queued_messages 100000', 'max_queued_bytes 0'],
    })
    const counter = sequenceCounter()
    // A short "stayed up" window, so that each outage here follows a connection that proved stable.
    const stableConnectionMs = 200
    const rec = recordingManager({ onMessage: counter.onMessage, stableConnectionMs })
    const profile = testProfile({
      port: broker.port,
      protocolVersion: 5,
      clientId: `restarts-${process.pid}`,
      cleanStart: false,
      sessionExpiryInterval: 600,
      subscriptions: [{ filter: 'seq/#', qos: 1 }],
      reconnect: { enabled: true, initialDelayMs: 100, maxDelayMs: 300 },
    })
    await rec.manager.connect(profile, {})

    // The publisher resends what was in flight when the broker went away (mqtt.js keeps it).
    const pub = await publisher(broker.port, { reconnectPeriod: 100, clientId: `publisher-${process.pid}` })
    pub.on('error', () => undefined)
    const acked = new Set<number>()
    let running = true
    let sent = 0
    const publishing = (async () => {
      while (running) {
        const window = Array.from({ length: 5 }, () => sent++)
        await Promise.all(window.map((n) => pub.publishAsync(`seq/${n % 20}`, String(n), { qos: 1 }).then(() => acked.add(n), () => undefined)))
      }
    })()

    const reconnects: number[] = []
    for (let restart = 0; restart < 20; restart++) {
      const before = counter.distinct
      // Traffic flows to us before each outage, so some of it is in flight when the broker stops.
      expect(await counter.until(() => counter.distinct >= before + 30, 20_000)).toBe(true)
      const upSince = rec.manager.list()[0].since
      await new Promise((r) => setTimeout(r, Math.max(0, upSince + stableConnectionMs + 50 - Date.now())))
      const mark = rec.states.length
      await broker.kill('SIGTERM')
      const lost = await rec.waitForState(profile.id, (s) => s.status === 'reconnecting' && rec.states.indexOf(s) >= mark)
      reconnects.push(lost.attempt ?? 0)
      await broker.start()
      await rec.waitForState(profile.id, (s) => s.status === 'connected' && rec.states.indexOf(s) > rec.states.indexOf(lost))
    }
    running = false
    await publishing

    const missing = () => [...acked].filter((n) => !counter.has(n))
    await counter.until(() => missing().length === 0, 30_000)
    const figures = { acknowledged: acked.size, received: counter.distinct, duplicates: counter.total - counter.distinct, missing: missing().length }
    console.log(`20 restarts: ${JSON.stringify(figures)}`)
    expect(figures.missing).toBe(0)
    // Each outage follows a connection that stayed up, so each starts again at attempt 1's delay.
    expect(reconnects).toEqual(Array(20).fill(1))
    await rec.manager.closeAll()
  }, 180_000)
})
