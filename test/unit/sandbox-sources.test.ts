/**
 * The Sandbox's decoder demo sources, stepped tick by tick without a broker, and read back with
 * decoders we did not write (Eclipse Tahu for Sparkplug B): the Sparkplug state machine (BIRTH
 * names and aliases, alias-only DATA, seq wrapping, device outages, NDEATH, rebirth), the feed's
 * content types, and the Sandbox profile's decoder rule.
 */
import { describe, expect, it } from 'vitest'
import { ProfileSpec } from '../../electron/api'
import { DemoFeed, type FeedMessage } from '../../electron/core/sandbox/demo-feed'
import { seededRandom } from '../../electron/core/sandbox/demo-signals'
import { filterMatches } from '../../electron/core/sandbox/demo-source'
import { SandboxBroker } from '../../electron/core/sandbox/sandbox-broker'
import { SparkplugEdgeNode } from '../../electron/core/sandbox/sparkplug-edge-node'
import { tahu, TahuPayload } from '../integration/sandbox-decoders-peers'

const NOW = 1_750_000_000_000
const kind = (m: FeedMessage) => m.topic.split('/')[2]

/** Steps `node` through ticks `from`..`to`, collecting what it publishes. */
function run(node: SparkplugEdgeNode, from: number, to: number): FeedMessage[] {
  const out: FeedMessage[] = []
  for (let t = from; t <= to; t++) out.push(...node.tick(t, NOW + t * 250))
  return out
}

function edgeNode(options: Partial<ConstructorParameters<typeof SparkplugEdgeNode>[0]> = {}): SparkplugEdgeNode {
  return new SparkplugEdgeNode({ rnd: seededRandom(3), ...options })
}

describe('the Sandbox Sparkplug B edge node', () => {
  it('names every BIRTH metric with an alias and a datatype, and sends DATA by alias only', () => {
    const node = edgeNode()
    const births = node.initial(NOW)
    expect(births.map((m) => m.topic)).toEqual(['spBv1.0/Sandbox/NBIRTH/edge-01', 'spBv1.0/Sandbox/DBIRTH/edge-01/plc-01'])
    expect(births.every((m) => !m.retain)).toBe(true)
    const [nbirth, dbirth] = births.map((m) => tahu.decodePayload(m.payload))
    expect(Number(nbirth.seq)).toBe(0)
    expect(Number(dbirth.seq)).toBe(1)
    expect(Number(nbirth.timestamp)).toBe(NOW)
    expect(nbirth.metrics!.find((m) => m.name === 'bdSeq')).toMatchObject({ type: 'Int64' })
    const named = [...nbirth.metrics!, ...dbirth.metrics!].filter((m) => m.name !== 'bdSeq')
    for (const m of named) {
      expect(m.name, JSON.stringify(m)).toEqual(expect.any(String))
      expect(m.alias, m.name!).toBeDefined()
      expect(m.value, m.name!).not.toBeUndefined()
    }
    expect(new Set(named.map((m) => m.type))).toEqual(new Set(['Boolean', 'String', 'Int64', 'Float', 'Double', 'Int32', 'UInt64', 'DateTime']))
    expect(new Set(named.map((m) => Number(m.alias))).size).toBe(named.length)
    expect(dbirth.metrics!.find((m) => m.name === 'Setpoint Offset')!.value).toBeGreaterThanOrEqual(-50)

    const aliases = new Map<number, string>(named.map((m) => [Number(m.alias), m.type]))
    const data = run(node, 1, 8).filter((m) => /DATA/.test(kind(m)))
    expect(new Set(data.map(kind))).toEqual(new Set(['NDATA', 'DDATA']))
    for (const message of data) {
      const raw = TahuPayload.decode(message.payload)
      expect(raw.metrics.length).toBeGreaterThan(0)
      for (const metric of raw.metrics) {
        // Tahu's generated type reports absent optional fields as not own properties.
        expect(Object.hasOwn(metric, 'name'), message.topic).toBe(false)
        expect(Object.hasOwn(metric, 'datatype'), message.topic).toBe(false)
        const type = aliases.get(Number(metric.alias))
        expect(type, `alias ${metric.alias} is named by a BIRTH`).toBeDefined()
        const fields: Record<string, string> = { Double: 'doubleValue', Float: 'floatValue', Int32: 'intValue', Int64: 'longValue', UInt64: 'longValue', DateTime: 'longValue', Boolean: 'booleanValue', String: 'stringValue' }
        const field = fields[type!]
        expect(Object.hasOwn(metric, field), `${type} alias ${metric.alias} in ${field}`).toBe(true)
      }
    }
  })

  it('counts seq from 0 at each NBIRTH across node and device, wrapping from 255 to 0', () => {
    const node = edgeNode({ dataEvery: 2, deviceCycle: 300, deviceOffline: 40 })
    const messages = [...node.initial(NOW), ...run(node, 1, 1200)]
    const seqs = messages.map((m) => ({ kind: kind(m), seq: Number(tahu.decodePayload(m.payload).seq) }))
    expect(seqs.length).toBeGreaterThan(600)
    let wraps = 0
    for (let i = 1; i < seqs.length; i++) {
      const expected = seqs[i].kind === 'NBIRTH' ? 0 : (seqs[i - 1].seq + 1) % 256
      expect(seqs[i].seq, `message ${i} (${seqs[i].kind} after ${seqs[i - 1].kind} ${seqs[i - 1].seq})`).toBe(expected)
      if (seqs[i - 1].seq === 255 && seqs[i].seq === 0) wraps++
    }
    expect(wraps).toBeGreaterThanOrEqual(2)
    expect(Math.max(...seqs.map((s) => s.seq))).toBe(255)
  })

  it('takes the device offline with DDEATH and back with DBIRTH, sending no DDATA in between', () => {
    const node = edgeNode({ dataEvery: 2, deviceCycle: 40, deviceOffline: 10 })
    node.initial(NOW)
    const kinds = run(node, 1, 120).map(kind)
    const deaths = kinds.flatMap((k, i) => (k === 'DDEATH' ? [i] : []))
    expect(deaths.length).toBe(3)
    for (const at of deaths) {
      const after = kinds.slice(at + 1)
      const back = after.indexOf('DBIRTH')
      expect(back).toBeGreaterThan(0)
      expect(after.slice(0, back)).not.toContain('DDATA')
      expect(after.slice(0, back)).toContain('NDATA')
    }
    // Back at ticks 40, 80 and 120.
    expect(kinds.filter((k) => k === 'DBIRTH').length).toBe(3)
    const ddeath = run(edgeNode({ deviceCycle: 4, deviceOffline: 1 }), 1, 3).find((m) => kind(m) === 'DDEATH')!
    expect(ddeath.topic).toBe('spBv1.0/Sandbox/DDEATH/edge-01/plc-01')
    expect(tahu.decodePayload(ddeath.payload).seq).toBeDefined()
  })

  it('ends with one NDEATH that carries its NBIRTH bdSeq and no seq, then stays silent', () => {
    const node = edgeNode()
    const bdSeq = tahu.decodePayload(node.initial(NOW)[0].payload).metrics!.find((m) => m.name === 'bdSeq')!.value
    const [death, ...more] = node.final(NOW + 1000)
    expect(more).toEqual([])
    expect(death.topic).toBe('spBv1.0/Sandbox/NDEATH/edge-01')
    const decoded = tahu.decodePayload(death.payload)
    expect(decoded.seq).toBeUndefined()
    expect(decoded.metrics).toEqual([expect.objectContaining({ name: 'bdSeq', type: 'Int64' })])
    expect(Number(decoded.metrics![0].value)).toBe(Number(bdSeq))
    expect(node.final(NOW + 2000)).toEqual([])
    expect(run(node, 1, 20)).toEqual([])
  })

  it('re-births for a subscriber whose filter covers it and on an NCMD Rebirth, and ignores anything else', () => {
    const node = edgeNode({ deviceCycle: 10_000 })
    node.initial(NOW)
    const birthsAt = (tick: number) => node.tick(tick, NOW + tick * 250).filter((m) => /BIRTH/.test(kind(m))).map((m) => `${kind(m)} ${Number(tahu.decodePayload(m.payload).seq)}`)
    expect(birthsAt(1)).toEqual([])

    node.subscribed(['home/#', '$SYS/#', 'spBv1.0/Other/#'])
    expect(birthsAt(2)).toEqual([])
    node.subscribed(['#'])
    expect(birthsAt(3)).toEqual(['NBIRTH 0', 'DBIRTH 1'])
    node.subscribed(['spBv1.0/+/NBIRTH/+'])
    expect(birthsAt(5)).toEqual(['NBIRTH 0', 'DBIRTH 1'])

    const ncmd = 'spBv1.0/Sandbox/NCMD/edge-01'
    node.received(ncmd, Buffer.from(tahu.encodePayload({ timestamp: NOW, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: false }] })))
    node.received(ncmd, Buffer.from('not protobuf \xff\xff\xff'))
    node.received('spBv1.0/Sandbox/NCMD/edge-02', Buffer.from(tahu.encodePayload({ timestamp: NOW, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] })))
    expect(birthsAt(6)).toEqual([])
    node.received(ncmd, Buffer.from(tahu.encodePayload({ timestamp: NOW, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] })))
    expect(birthsAt(7)).toEqual(['NBIRTH 0', 'DBIRTH 1'])
  })

  it('matches MQTT filters the way a broker does', () => {
    const topic = 'spBv1.0/Sandbox/NBIRTH/edge-01'
    for (const f of ['#', 'spBv1.0/#', 'spBv1.0/+/NBIRTH/+', '+/+/+/+', topic, 'spBv1.0/Sandbox/NBIRTH/edge-01/#']) expect(filterMatches(f, topic), f).toBe(true)
    for (const f of ['spBv1.0/+/NBIRTH', 'spBv1.0/Sandbox/NDATA/#', '+/+/+', 'home/#', '+/+/+/+/+']) expect(filterMatches(f, topic), f).toBe(false)
    expect(filterMatches('#', '$SYS/broker/uptime')).toBe(false)
    expect(filterMatches('$SYS/#', '$SYS/broker/uptime')).toBe(true)
  })
})

describe('the Sandbox demo feed', () => {
  async function initialMessages(): Promise<{ feed: DemoFeed; sent: FeedMessage[] }> {
    const sent: FeedMessage[] = []
    const feed = new DemoFeed({ seed: 5, intervalMs: 60_000, publish: async (m) => void sent.push(m), stats: () => ({ clients: 0, messagesPublished: 0, startedAt: NOW }) })
    await feed.start()
    return { feed, sent }
  }

  it('sets MQTT 5 content types on one topic of each binary kind and leaves its twin without', async () => {
    const { feed, sent } = await initialMessages()
    await feed.stop()
    const contentType = (topic: string) => {
      const found = sent.find((m) => m.topic === topic)
      expect(found, topic).toBeDefined()
      return found!.contentType
    }
    expect(contentType('sandbox/proto/gw-01/telemetry')).toBe('application/x-protobuf')
    expect(contentType('sandbox/proto/gw-02/telemetry')).toBeUndefined()
    expect(contentType('sandbox/cbor/sensor-01')).toBe('application/cbor')
    expect(contentType('sandbox/cbor/sensor-02')).toBeUndefined()
    expect(contentType('sandbox/msgpack/sensor-01')).toBe('application/msgpack')
    expect(contentType('sandbox/msgpack/sensor-02')).toBeUndefined()
    expect(contentType('cameras/gate/snapshot')).toBe('image/png')
    expect(contentType('cameras/dock/snapshot')).toBeUndefined()
    expect(contentType('cameras/gate/preview')).toBeUndefined()
    expect(contentType('sandbox/series/climate')).toBe('application/json')
    expect(contentType('sandbox/series/float32le')).toBeUndefined()
    expect(contentType('sandbox/gzip/report')).toBeUndefined()
    expect(contentType('sandbox/schemas/telemetry.proto')).toMatch(/^text\/plain/)
    expect(contentType('spBv1.0/Sandbox/NBIRTH/edge-01')).toBeUndefined()
    // The old catalogue's topics carry none.
    expect(sent.filter((m) => m.topic.startsWith('factory/')).every((m) => m.contentType === undefined)).toBe(true)
  })

  it('lists every topic it publishes, and publishes the NDEATH once when stopped', async () => {
    const { feed, sent } = await initialMessages()
    const listed = new Set(feed.topics)
    for (const m of sent) expect(listed.has(m.topic), m.topic).toBe(true)
    await feed.stop()
    await feed.stop()
    expect(sent.filter((m) => m.topic === 'spBv1.0/Sandbox/NDEATH/edge-01')).toHaveLength(1)
    expect(listed.has('spBv1.0/Sandbox/NDEATH/edge-01')).toBe(true)
  })

  it('gives the Sandbox profile a rule that decodes sandbox/proto/# as sandbox.v1.Telemetry', () => {
    const spec = SandboxBroker.defaultProfileSpec()
    expect(ProfileSpec.parse(spec)).toEqual(spec)
    expect(spec.decoderRules).toEqual([{ filter: 'sandbox/proto/#', decoder: 'protobuf', protobufType: 'sandbox.v1.Telemetry' }])
  })
})
