/**
 * The Sandbox's decoder topics over the real broker (aedes behind TLS), subscribed by mqtt.js
 * and read back with decoders we did not write: Eclipse Tahu for Sparkplug B, `protoc --decode`
 * for Protobuf, msgpackr for MessagePack, `gzip -dc` and python3's zlib for the compressed
 * reports, Chromium's image decoders for PNG and GIF, and readers written here from RFC 8949
 * (CBOR) and the PNG and GIF specifications (chunks and CRC, LZW).
 * The feed ticks every 20 ms here instead of 250, so seq wraps and device outages come quickly.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { connectAsync, type MqttClient } from 'mqtt'
import { Unpackr } from 'msgpackr'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SandboxBroker, type SandboxBrokerOptions } from '../../electron/core/sandbox/sandbox-broker'
import { launchBrowser } from '../fixtures/browser'
import { waitUntil } from '../fixtures/wait-for-line'
import { pngChunks, readCbor, readGif, run, tahu, TahuPayload, type CborTag, type CborValue } from './sandbox-decoders-peers'

const FAST: SandboxBrokerOptions['feed'] = { seed: 11, intervalMs: 20, updatesPerTick: 0, sparkplug: { dataEvery: 2, deviceCycle: 150, deviceOffline: 30 } }
const NODE = 'spBv1.0/Sandbox/+/edge-01'
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

interface Seen {
  topic: string
  payload: Buffer
  retain: boolean
  /** Arrival order across all topics of one client. */
  n: number
}

let dataDir: string
let sandbox: SandboxBroker
const clients: MqttClient[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-sandbox-decoders-'))
  sandbox = new SandboxBroker({ dataDir, feed: FAST })
})

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => {})))
})

afterAll(async () => {
  await sandbox.stop()
  await rm(dataDir, { recursive: true, force: true })
})

/** Connects to `broker` trusting only its CA, subscribes to `filters` and records every message. */
async function subscribe(broker: SandboxBroker, filters: string[]): Promise<{ client: MqttClient; seen: Seen[] }> {
  const endpoint = await broker.start()
  const client = await connectAsync({ protocol: 'mqtts', host: endpoint.host, port: endpoint.port, ca: endpoint.caPem, servername: endpoint.servername, rejectUnauthorized: true, protocolVersion: SandboxBroker.protocolVersion, reconnectPeriod: 0, connectTimeout: 10_000 })
  clients.push(client)
  const seen: Seen[] = []
  client.on('message', (topic, payload, packet) => seen.push({ topic, payload, retain: packet.retain, n: seen.length }))
  await client.subscribeAsync(filters)
  return { client, seen }
}

const kindOf = (topic: string) => topic.split('/')[2]
const latest = (seen: Seen[], topic: string) => seen.findLast((m) => m.topic === topic)

/** Waits until `count` messages of `topic` have arrived; returns them. */
function messagesOf(seen: Seen[], topic: string, count = 1, timeoutMs = 10_000): Promise<Seen[]> {
  return waitUntil(`${count} message(s) on ${topic}`, () => {
    const found = seen.filter((m) => m.topic === topic)
    return found.length >= count && found
  }, timeoutMs)
}

/** A CBOR map as a plain record, for reading. */
function record(value: CborValue): Record<string, CborValue> {
  expect(value).toBeInstanceOf(Map)
  return Object.fromEntries([...(value as Map<CborValue, CborValue>)].map(([k, v]) => [String(k), v]))
}

describe('the Sandbox Sparkplug B edge node over the broker (read with Eclipse Tahu)', () => {
  it('gives a late subscriber both BIRTHs right after SUBACK, then alias-only DATA whose seq runs mod 256', async () => {
    await sandbox.start()
    // The first BIRTHs went out when the broker started, to nobody: this subscriber is late.
    const { seen } = await subscribe(sandbox, ['spBv1.0/#'])
    const [nbirth] = await messagesOf(seen, 'spBv1.0/Sandbox/NBIRTH/edge-01')
    const [dbirth] = await messagesOf(seen, 'spBv1.0/Sandbox/DBIRTH/edge-01/plc-01')
    const names = new Map<number, string>()
    for (const birth of [nbirth, dbirth]) {
      for (const m of tahu.decodePayload(birth.payload).metrics!) {
        if (m.name === 'bdSeq') continue
        expect(m.name).toEqual(expect.any(String))
        expect(m.type).toEqual(expect.any(String))
        names.set(Number(m.alias), m.name!)
      }
    }
    expect([...names.values()]).toEqual(expect.arrayContaining(['Temperature', 'Motor/Speed', 'Motor/Running', 'Status', 'Last Cycle', 'Uptime']))

    // Wait for seq to pass 255 at least once on DATA (not a rebirth's reset).
    const wrapped = () => {
      const family = seen.filter((m) => m.topic.startsWith('spBv1.0/Sandbox/') && kindOf(m.topic) !== 'NDEATH')
      return family.some((m, i) => i > 0 && kindOf(m.topic) !== 'NBIRTH' && Number(tahu.decodePayload(m.payload).seq) === 0 && Number(tahu.decodePayload(family[i - 1].payload).seq) === 255)
    }
    await waitUntil('seq to wrap from 255 to 0', wrapped, 30_000)

    const family = seen.filter((m) => kindOf(m.topic) !== 'NDEATH')
    expect(family.every((m) => !m.retain)).toBe(true)
    for (let i = 1; i < family.length; i++) {
      const seq = Number(tahu.decodePayload(family[i].payload).seq)
      const before = Number(tahu.decodePayload(family[i - 1].payload).seq)
      expect(seq, `${family[i].topic} after seq ${before}`).toBe(kindOf(family[i].topic) === 'NBIRTH' ? 0 : (before + 1) % 256)
    }
    const data = family.filter((m) => /DATA$/.test(kindOf(m.topic)))
    expect(data.length).toBeGreaterThan(100)
    for (const message of data.slice(0, 50)) {
      const decoded = TahuPayload.decode(message.payload)
      expect(Number(decoded.timestamp)).toBeGreaterThan(0)
      for (const metric of decoded.metrics) {
        expect(Object.hasOwn(metric, 'name')).toBe(false)
        expect(names.has(Number(metric.alias)), `alias ${metric.alias} named by a BIRTH`).toBe(true)
      }
    }
  })

  it('takes the device offline (DDEATH) and back (DBIRTH), with no DDATA while it is away', async () => {
    const { seen } = await subscribe(sandbox, ['spBv1.0/Sandbox/#'])
    const death = await waitUntil('a DDEATH', () => seen.find((m) => kindOf(m.topic) === 'DDEATH'), 15_000)
    const back = await waitUntil('a DBIRTH after it', () => seen.find((m) => m.n > death.n && kindOf(m.topic) === 'DBIRTH'), 15_000)
    const between = seen.filter((m) => m.n > death.n && m.n < back.n).map((m) => kindOf(m.topic))
    expect(between).not.toContain('DDATA')
    expect(between).toContain('NDATA')
    expect(tahu.decodePayload(death.payload).seq).toBeDefined()
  })

  it('publishes its BIRTHs again on an NCMD Node Control/Rebirth', async () => {
    // Subscribe to the node's own topics only: the device's BIRTH must not be what we count.
    const { client, seen } = await subscribe(sandbox, [NODE])
    await messagesOf(seen, 'spBv1.0/Sandbox/NBIRTH/edge-01')
    await waitUntil('NDATA after the subscription rebirth', () => seen.some((m) => kindOf(m.topic) === 'NDATA'))
    const mark = seen.length
    const births = () => seen.slice(mark).filter((m) => kindOf(m.topic) === 'NBIRTH')
    // Garbage on the command topic first: the node ignores it and keeps running.
    await client.publishAsync('spBv1.0/Sandbox/NCMD/edge-01', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12]))
    await client.publishAsync('spBv1.0/Sandbox/NCMD/edge-01', 'rebirth please')
    await client.publishAsync('spBv1.0/Sandbox/NCMD/edge-01', Buffer.from(tahu.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] })))
    const [rebirth] = await waitUntil('an NBIRTH after the NCMD', () => births().length > 0 && births())
    expect(Number(tahu.decodePayload(rebirth.payload).seq)).toBe(0)
  })

  it('sends its NDEATH, with the NBIRTH bdSeq, to subscribers when the Sandbox stops', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mqtts-sandbox-ndeath-'))
    const own = new SandboxBroker({ dataDir: dir, feed: FAST })
    try {
      const { client, seen } = await subscribe(own, [NODE])
      const [nbirth] = await messagesOf(seen, 'spBv1.0/Sandbox/NBIRTH/edge-01')
      const bdSeq = tahu.decodePayload(nbirth.payload).metrics!.find((m) => m.name === 'bdSeq')!.value
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
      await own.stop()
      await closed
      const [death] = await messagesOf(seen, 'spBv1.0/Sandbox/NDEATH/edge-01')
      expect(death.retain).toBe(false)
      const decoded = tahu.decodePayload(death.payload)
      expect(decoded.seq).toBeUndefined()
      expect(decoded.metrics!.map((m) => [m.name, Number(m.value)])).toEqual([['bdSeq', Number(bdSeq)]])
    } finally {
      await own.stop()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

/** The gate camera's PNG and the GIF preview sent right after it, both of one frame. */
async function gatePair(): Promise<{ png: Seen; gif: Seen }> {
  const { seen } = await subscribe(sandbox, ['cameras/gate/#'])
  return waitUntil('a PNG and its GIF preview from one frame', () => {
    // Live ones: retained copies are replayed one by one and could straddle an update.
    const gif = seen.findLast((m) => m.topic === 'cameras/gate/preview' && !m.retain)
    const png = gif && seen.find((m) => m.n === gif.n - 1)
    return gif && png?.topic === 'cameras/gate/snapshot' && !png.retain && { gif, png }
  }, 15_000)
}

describe('the Sandbox binary topics over the broker (read with peers we did not write)', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-sandbox-peers-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('publishes its .proto retained, and Telemetry that protoc --decode reads with it', async () => {
    const { seen } = await subscribe(sandbox, ['sandbox/schemas/#', 'sandbox/proto/#'])
    const [schema] = await messagesOf(seen, 'sandbox/schemas/telemetry.proto')
    expect(schema.retain).toBe(true)
    await writeFile(join(dir, 'telemetry.proto'), schema.payload)
    for (const gateway of ['gw-01', 'gw-02']) {
      const messages = await messagesOf(seen, `sandbox/proto/${gateway}/telemetry`, 2)
      const text = run('protoc', [`--proto_path=${dir}`, '--decode=sandbox.v1.Telemetry', 'telemetry.proto'], messages.at(-1)!.payload).toString()
      const top = (field: string) => [...text.matchAll(new RegExp(`^${field}: (.*)$`, 'gm'))].map((m) => m[1])
      expect(top('gateway_id')).toEqual([`"${gateway}"`])
      expect(Math.abs(Number(top('timestamp_ms')[0]) - Date.now())).toBeLessThan(60_000)
      expect(Number(top('seq')[0])).toBeGreaterThan(1)
      expect(top('health')[0]).toMatch(/^HEALTH_(OK|DEGRADED|FAILED)$/)
      // All 64 bits survive: beyond what a double holds exactly.
      expect(BigInt(top('uptime_ns')[0])).toBeGreaterThan(2n ** 53n)
      expect(top('samples')).toHaveLength(8)
      expect(top('firmware_hash')).toHaveLength(1)
      expect(text).toMatch(/^location \{\n {2}latitude: [\d.]+\n {2}longitude: [\d.]+\n {2}altitude_m: \d+\n\}$/m)
      expect([...text.matchAll(/^readings \{\n {2}name: "(\w+)"/gm)].map((m) => m[1])).toEqual(['temperature', 'humidity', 'supply'])
      expect(text).toMatch(/^labels \{\n {2}key: "site"\n {2}value: "(hamburg|lyon)"\n\}$/m)
    }
  })

  it('sends CBOR maps with a 64-bit integer, a byte string, nested arrays and a time tag, read by an RFC 8949 reader', async () => {
    const { seen } = await subscribe(sandbox, ['sandbox/cbor/#', 'sandbox/base64/#'])
    for (const topic of ['sandbox/cbor/sensor-01', 'sandbox/cbor/sensor-02', 'sandbox/base64/sensor-01']) {
      const [message] = await messagesOf(seen, topic)
      let bytes = message.payload
      if (topic.includes('base64')) {
        expect(bytes.toString('latin1')).toMatch(/^[A-Za-z0-9+/]+={0,2}$/)
        bytes = Buffer.from(bytes.toString('latin1'), 'base64')
      }
      expect(bytes[0] >> 5, 'a CBOR map').toBe(5)
      const r = record(readCbor(bytes))
      expect(r.sensor).toBe(topic.split('/').pop())
      expect(r.temperature).toEqual(expect.any(Number))
      expect(r.tags).toEqual(['demo', topic.split('/')[1]])
      expect(r.mac).toBeInstanceOf(Uint8Array)
      expect((r.mac as Uint8Array).length).toBe(6)
      expect(typeof r.counter).toBe('bigint')
      expect(r.counter as bigint).toBeGreaterThan(2n ** 62n)
      expect(r.offset as number).toBeLessThanOrEqual(0)
      const vibration = r.vibration as number[][]
      expect(vibration.map((axis) => axis.length)).toEqual([4, 4, 4])
      const ts = r.ts as CborTag
      expect(ts.tag, 'epoch-based date/time (tag 1)').toBe(1)
      expect(Math.abs((ts.value as number) * 1000 - Date.now())).toBeLessThan(60_000)
      expect(record(r.battery)).toMatchObject({ low: false })
    }
  })

  it('sends MessagePack maps that msgpackr reads, 64-bit integer and binary included', async () => {
    const { seen } = await subscribe(sandbox, ['sandbox/msgpack/#'])
    const unpackr = new Unpackr({ int64AsType: 'bigint', useRecords: false, mapsAsObjects: true })
    for (const topic of ['sandbox/msgpack/sensor-01', 'sandbox/msgpack/sensor-02']) {
      const [message] = await messagesOf(seen, topic)
      const value = unpackr.unpack(message.payload) as Record<string, unknown>
      expect(value).toMatchObject({ sensor: topic.split('/').pop(), seq: expect.any(Number), humidity: expect.any(Number), tags: ['demo', 'msgpack'] })
      expect(typeof value.counter).toBe('bigint')
      expect(value.counter as bigint).toBeGreaterThan(2n ** 62n)
      expect(value.mac).toBeInstanceOf(Uint8Array)
      expect(value.ts).toBeInstanceOf(Date)
      expect((value.vibration as number[][]).flat()).toHaveLength(12)
    }
  })

  it('sends JSON reports that gzip -dc and python3 zlib inflate', async () => {
    const { seen } = await subscribe(sandbox, ['sandbox/gzip/#', 'sandbox/zlib/#'])
    const [gz] = await messagesOf(seen, 'sandbox/gzip/report')
    const [zl] = await messagesOf(seen, 'sandbox/zlib/report')
    expect([...gz.payload.subarray(0, 2)]).toEqual([0x1f, 0x8b])
    expect(zl.payload[0]).toBe(0x78)
    const fromGzip = JSON.parse(run('gzip', ['-dc'], gz.payload).toString())
    const fromZlib = JSON.parse(run('python3', ['-c', 'import sys, zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))'], zl.payload).toString())
    for (const report of [fromGzip, fromZlib]) {
      expect(report).toMatchObject({ report: expect.any(Number), shift: expect.any(String) })
      expect(report.lines.map((l: { line: string }) => l.line)).toEqual(['line-1', 'line-2', 'line-3'])
    }
    expect(JSON.stringify(fromGzip).length).toBeGreaterThan(gz.payload.length)
  })

  it('sends camera frames as valid PNGs: 96×64 RGB, every chunk CRC right, scanlines of the right length, changing from frame to frame', async () => {
    const { seen } = await subscribe(sandbox, ['cameras/#'])
    // Two live frames: a retained copy replayed late could repeat the live frame just received.
    const frames = await waitUntil('two live frames of cameras/dock', () => {
      const live = seen.filter((m) => m.topic === 'cameras/dock/snapshot' && !m.retain)
      return live.length >= 2 && live
    }, 15_000)
    const pixels: Buffer[] = []
    for (const frame of frames.slice(0, 2)) {
      expect(frame.payload.subarray(0, 8)).toEqual(PNG_SIGNATURE)
      const chunks = pngChunks(frame.payload)
      expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
      expect(chunks.every((c) => c.crcOk)).toBe(true)
      const ihdr = chunks[0].data
      expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]]).toEqual([96, 64, 8, 2, 0, 0, 0])
      const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)))
      expect(raw.length).toBe(64 * (1 + 96 * 3))
      for (let y = 0; y < 64; y++) expect(raw[y * (1 + 96 * 3)]).toBeLessThanOrEqual(4)
      pixels.push(raw)
    }
    expect(pixels[0].equals(pixels[1])).toBe(false)
    for (const id of ['gate', 'parking']) expect(latest(seen, `cameras/${id}/snapshot`)?.payload.subarray(0, 8)).toEqual(PNG_SIGNATURE)
  })

  it('sends a GIF preview of the same picture as the PNG sent with it, read by a GIF decoder written from the specification', async () => {
    const pair = await gatePair()
    const image = readGif(pair.gif.payload)
    expect([image.width, image.height]).toEqual([96, 64])
    const raw = inflateSync(Buffer.concat(pngChunks(pair.png.payload).filter((c) => c.type === 'IDAT').map((c) => c.data)))
    // 3-3-2 bits per primary: red and green within 255/7, blue within 255/3 of the PNG's colour.
    let worst = [0, 0, 0]
    for (let p = 0; p < 96 * 64; p++) {
      const source = (Math.floor(p / 96) * (1 + 96 * 3)) + 1 + (p % 96) * 3
      worst = worst.map((w, c) => Math.max(w, Math.abs(image.rgb[p * 3 + c] - raw[source + c])))
    }
    expect(worst[0]).toBeLessThanOrEqual(37)
    expect(worst[1]).toBeLessThanOrEqual(37)
    expect(worst[2]).toBeLessThanOrEqual(86)
  })

  it('sends a PNG and a GIF that Chromium decodes and paints: the PNG pixel for pixel, the GIF within its palette', async () => {
    const pair = await gatePair()
    const raw = inflateSync(Buffer.concat(pngChunks(pair.png.payload).filter((c) => c.type === 'IDAT').map((c) => c.data)))
    const browser = await launchBrowser()
    try {
      const page = await browser.open('about:blank')
      const painted = await page.evaluate(async (images) => Promise.all(images.map(async ({ base64, type }) => {
        const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type }))
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
        const context = canvas.getContext('2d')!
        context.drawImage(bitmap, 0, 0)
        return { width: bitmap.width, height: bitmap.height, rgba: Array.from(context.getImageData(0, 0, bitmap.width, bitmap.height).data) }
      })), [{ base64: pair.png.payload.toString('base64'), type: 'image/png' }, { base64: pair.gif.payload.toString('base64'), type: 'image/gif' }])
      const worst = painted.map(({ width, height, rgba }) => {
        expect([width, height]).toEqual([96, 64])
        let max = [0, 0, 0]
        for (let p = 0; p < 96 * 64; p++) {
          const source = Math.floor(p / 96) * (1 + 96 * 3) + 1 + (p % 96) * 3
          max = max.map((m, c) => Math.max(m, Math.abs(rgba[p * 4 + c] - raw[source + c])))
        }
        return max
      })
      expect(worst[0]).toEqual([0, 0, 0])
      expect(worst[1][0]).toBeLessThanOrEqual(37)
      expect(worst[1][1]).toBeLessThanOrEqual(37)
      expect(worst[1][2]).toBeLessThanOrEqual(86)
    } finally {
      await browser.close()
    }
  }, 60_000)

  it('sends series to chart: a bare number, JSON keys with . / and ~, and float32 little endian', async () => {
    const { seen } = await subscribe(sandbox, ['sandbox/series/#'])
    const floats = await messagesOf(seen, 'sandbox/series/float32le', 5)
    for (const m of floats) {
      expect(m.payload).toHaveLength(4)
      expect(m.payload.readFloatLE(0)).toBeGreaterThan(222)
      expect(m.payload.readFloatLE(0)).toBeLessThan(238)
    }
    const numbers = await messagesOf(seen, 'sandbox/series/sine', 5)
    for (const m of numbers) {
      expect(m.payload.toString()).toMatch(/^-?\d+\.\d{3}$/)
      expect(Math.abs(Number(m.payload.toString()) - 50)).toBeLessThanOrEqual(48)
    }
    const [climate] = await messagesOf(seen, 'sandbox/series/climate')
    const value = JSON.parse(climate.payload.toString())
    expect(Object.keys(value)).toEqual(['temp.c', 'rh/%', 'co2~ppm', 'wind', 'ts'])
    expect(value['temp.c']).toBeGreaterThan(17)
    expect(value.wind['speed.m/s']).toEqual(expect.any(Number))
  })

  // Retained values arrive after SUBACK and may interleave with live ones (retain 0): the other
  // tests take whichever comes first, this one waits for the retained copy of each topic.
  it('keeps every decoder topic but Sparkplug retained, so the tree shows them before the first update', async () => {
    const { seen } = await subscribe(sandbox, ['sandbox/#', 'cameras/#', 'spBv1.0/#'])
    const expected = ['sandbox/schemas/telemetry.proto', 'sandbox/proto/gw-01/telemetry', 'sandbox/proto/gw-02/telemetry', 'sandbox/cbor/sensor-01', 'sandbox/cbor/sensor-02', 'sandbox/msgpack/sensor-01', 'sandbox/msgpack/sensor-02', 'sandbox/base64/sensor-01', 'sandbox/gzip/report', 'sandbox/zlib/report', 'sandbox/series/sine', 'sandbox/series/climate', 'sandbox/series/float32le', 'cameras/gate/snapshot', 'cameras/dock/snapshot', 'cameras/parking/snapshot', 'cameras/gate/preview']
    await waitUntil('a retained value of every decoder topic', () => expected.every((t) => seen.some((m) => m.topic === t && m.retain)))
    await waitUntil('the Sparkplug BIRTHs', () => seen.some((m) => kindOf(m.topic) === 'DBIRTH'))
    expect(seen.filter((m) => m.topic.startsWith('spBv1.0/')).some((m) => m.retain)).toBe(false)
  })
})
