import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ProfileSpec } from '../../electron/api'
import { SANDBOX_PROFILE_ID, SandboxBroker, type SandboxEndpoint } from '../../electron/core/sandbox/sandbox-broker'

/** Top-level branches of the demo feed, all of which carry retained values. */
const BRANCHES = ['factory', 'home', 'vehicles', 'cameras', 'energy', 'weather', '$SYS']
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

let dataDir: string
let sandbox: SandboxBroker
const clients: MqttClient[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-sandbox-'))
  sandbox = new SandboxBroker({ dataDir, feed: { seed: 7 } })
})

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => {})))
})

afterAll(async () => {
  await sandbox.stop()
  await rm(dataDir, { recursive: true, force: true })
})

/** Connects the way a careful user would: trust only the Sandbox CA, verify the name. */
async function connect(endpoint: SandboxEndpoint, extra: Partial<IClientOptions> = {}): Promise<MqttClient> {
  const client = await connectAsync({
    protocol: 'mqtts',
    host: endpoint.host,
    port: endpoint.port,
    ca: endpoint.caPem,
    servername: endpoint.servername,
    rejectUnauthorized: true,
    protocolVersion: SandboxBroker.protocolVersion,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...extra,
  })
  clients.push(client)
  return client
}

/** Connect attempt expected to fail; resolves with the error code mqtt.js surfaced. */
async function connectError(opts: IClientOptions): Promise<string> {
  try {
    const client = await connectAsync({ reconnectPeriod: 0, connectTimeout: 10_000, ...opts })
    clients.push(client)
    return 'connected'
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message
  }
}

interface Seen {
  topic: string
  payload: Buffer
  retain: boolean
}

describe('Sandbox broker', () => {
  it('describes a valid MQTT 3.1.1 profile that pins its own CA', () => {
    const spec = SandboxBroker.defaultProfileSpec()
    expect(ProfileSpec.parse(spec)).toEqual(spec)
    expect(spec).toMatchObject({ name: 'Sandbox', scheme: 'mqtts', host: '127.0.0.1', protocolVersion: 4 })
    expect(spec.tls).toMatchObject({ useSystemRoots: false, verify: true, servername: 'localhost' })
    expect(spec.subscriptions.map((s) => s.filter)).toContain('#')
    expect(SANDBOX_PROFILE_ID).toBe('sandbox')
  })

  it('shares one broker between concurrent and repeated starts', async () => {
    const [a, b] = await Promise.all([sandbox.start(), sandbox.start()])
    expect(a).toEqual(b)
    expect(await sandbox.start()).toEqual(a)
    expect(a.host).toBe('127.0.0.1')
    expect(a.port).toBeGreaterThan(0)
  })

  it('delivers retained and live messages from several branches, binary ones included, over verified TLS', async () => {
    const endpoint = await sandbox.start()
    const client = await connect(endpoint)
    const seen: Seen[] = []
    const enough = new Promise<void>((resolve) => {
      client.on('message', (topic, payload, packet) => {
        seen.push({ topic, payload, retain: packet.retain })
        const live = seen.filter((m) => !m.retain)
        const liveBranches = new Set(live.map((m) => m.topic.split('/')[0]))
        // Retained values stream in after SUBACK and may interleave with live ones: wait for both.
        const retainedTopics = new Set(seen.filter((m) => m.retain).map((m) => m.topic))
        const retainedBranches = new Set([...retainedTopics].map((t) => t.split('/')[0]))
        const allRetained = retainedTopics.size > 200 && BRANCHES.every((b) => retainedBranches.has(b))
        if (live.some((m) => m.topic.endsWith('/can')) && liveBranches.size >= 3 && allRetained) resolve()
      })
    })
    await client.subscribeAsync(['#', '$SYS/#'])
    await enough

    const socket = client.stream as unknown as { authorized: boolean; getPeerCertificate(): { subjectaltname?: string } }
    expect(socket.authorized).toBe(true)
    expect(socket.getPeerCertificate().subjectaltname).toContain('IP Address:127.0.0.1')

    const retained = seen.filter((m) => m.retain)
    const retainedTopics = new Set(retained.map((m) => m.topic))
    expect(retainedTopics.size).toBeGreaterThan(200)
    for (const branch of BRANCHES) {
      expect([...retainedTopics].some((t) => t.startsWith(branch + '/')), branch).toBe(true)
    }
    const config = retained.find((m) => /^factory\/[^/]+\/[^/]+\/[^/]+\/config$/.test(m.topic))
    expect(JSON.parse(config!.payload.toString())).toMatchObject({ firmware: expect.any(String) })
    const gps = retained.find((m) => /^vehicles\/[^/]+\/gps$/.test(m.topic))
    expect(JSON.parse(gps!.payload.toString())).toMatchObject({ lat: expect.any(Number), lon: expect.any(Number) })

    // Binary payloads: a real PNG (retained) and raw CAN frames (live only).
    const png = retained.find((m) => m.topic.startsWith('cameras/'))!
    expect(png.payload.subarray(0, 8)).toEqual(PNG_SIGNATURE)
    const can = seen.find((m) => m.topic.endsWith('/can'))!
    expect(can.retain).toBe(false)
    expect(can.payload).toHaveLength(16)
    expect(can.payload[4]).toBe(8)
    expect(retained.some((m) => m.topic.endsWith('/can'))).toBe(false)
  })

  it('refuses clients that do not trust its CA or expect another name', async () => {
    const endpoint = await sandbox.start()
    const base = { protocol: 'mqtts' as const, host: endpoint.host, port: endpoint.port, protocolVersion: 4 as const, rejectUnauthorized: true }
    expect(await connectError({ ...base, servername: endpoint.servername })).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect(await connectError({ ...base, ca: endpoint.caPem, servername: 'wrong.example.test' })).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
    // The IP SAN makes the bare address verify too.
    const byIp = await connect(endpoint, { servername: undefined })
    expect(byIp.connected).toBe(true)
  })

  it('keeps its CA in the data folder across restarts, with the key readable by the owner only', async () => {
    const before = await sandbox.start()
    const identity = join(dataDir, 'sandbox', 'identity.json')
    expect((await stat(identity)).mode & 0o077).toBe(0)
    expect(await readFile(join(dataDir, 'sandbox', 'sandbox-ca.crt'), 'utf8')).toBe(before.caPem)

    const again = new SandboxBroker({ dataDir, feed: { seed: 1 } })
    try {
      const other = await again.start()
      expect(other.caPem).toBe(before.caPem)
      expect(other.port).not.toBe(before.port)
      const client = await connect(other)
      expect(client.connected).toBe(true)
    } finally {
      await again.stop()
    }
  })

  it('replaces a damaged saved identity with a fresh one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mqtts-sandbox-damaged-'))
    const broken = new SandboxBroker({ dataDir: dir })
    try {
      const first = await broken.start()
      await broken.stop()
      await writeFile(join(dir, 'sandbox', 'identity.json'), '{"version":1,"caPem":"nope"')
      const second = await broken.start()
      expect(second.caPem).not.toBe(first.caPem)
      expect((await connect(second)).connected).toBe(true)
    } finally {
      await broken.stop()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('disconnects clients and frees its port on stop, and can start again', async () => {
    const endpoint = await sandbox.start()
    const client = await connect(endpoint)
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    await sandbox.stop()
    await sandbox.stop()
    await closed
    expect(sandbox.started).toBe(false)
    const base = { protocol: 'mqtts' as const, host: endpoint.host, port: endpoint.port, ca: endpoint.caPem, servername: endpoint.servername, protocolVersion: 4 as const }
    expect(await connectError(base)).toBe('ECONNREFUSED')

    const restarted = await sandbox.start()
    expect((await connect(restarted)).connected).toBe(true)
  })
})
