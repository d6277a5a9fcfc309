/**
 * The Sandbox's topic catalogue: a few hundred topics shaped like what people really see on
 * brokers (factory telemetry as JSON, home-automation plain text, vehicle GPS, raw CAN frames,
 * retained status/config, broker statistics), each able to produce its next realistic value.
 * Values drift as random walks so charts and history look alive. Topics with a cadence of their
 * own (camera frames, Sparkplug B, the binary formats, chart series) are DemoSources beside it.
 */

/** A source of randomness in [0, 1); seeded in tests so runs are repeatable. */
export type Random = () => number

/** One topic and how to produce its next payload. */
export interface Signal {
  topic: string
  retain: boolean
  /** Changes over time; false for config/identity topics that are published once. */
  live: boolean
  next(): Buffer
}

/** Broker numbers the $SYS-style topics report. */
export interface BrokerStats {
  clients: number
  messagesPublished: number
  startedAt: number
}

const SITES = ['hamburg', 'lyon', 'austin']
const LINES = ['line-1', 'line-2', 'line-3']
const MACHINES = ['press-01', 'cnc-02', 'robot-03', 'conveyor-04']
const ROOMS = ['living-room', 'kitchen', 'bedroom', 'bathroom', 'office', 'garage']
const VEHICLES = ['truck-01', 'truck-02', 'truck-03', 'van-04', 'van-05', 'van-06', 'bus-07', 'bus-08']
/** The cameras of `cameras/<id>/snapshot` (their frames come from demo-image.ts). */
export const CAMERAS = ['gate', 'dock', 'parking'] as const
const MACHINE_STATES = ['RUNNING', 'RUNNING', 'RUNNING', 'IDLE', 'SETUP', 'FAULT']

/** Small seeded PRNG (mulberry32): good enough for demo data, and deterministic for tests. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Builds every signal of the demo hierarchy. */
export function buildSignals(rnd: Random, stats: () => BrokerStats): Signal[] {
  return [...factory(rnd), ...home(rnd), ...vehicles(rnd), ...energy(rnd), ...weather(rnd), ...brokerStats(stats)]
}

function factory(rnd: Random): Signal[] {
  const out: Signal[] = []
  for (const site of SITES) {
    for (const line of LINES) {
      for (const machine of MACHINES) {
        const base = `factory/${site}/${line}/${machine}`
        const temperature = walk(rnd, 55 + rnd() * 20, 20, 110, 0.8)
        const pressure = walk(rnd, 4 + rnd() * 2, 0, 12, 0.1)
        const rpm = walk(rnd, 1200 + rnd() * 1500, 0, 4000, 40)
        let state = 'RUNNING'
        out.push(
          live(base + '/temperature', true, () => reading(round(temperature(), 1), '°C')),
          live(base + '/pressure', true, () => reading(round(pressure(), 2), 'bar')),
          live(base + '/rpm', true, () => reading(Math.round(state === 'RUNNING' ? rpm() : 0), 'rpm')),
          live(base + '/state', true, () => {
            state = rnd() < 0.8 ? state : pick(rnd, MACHINE_STATES)
            return text(state)
          }),
          fixed(base + '/status', text('online')),
          fixed(
            base + '/config',
            json({ model: `${machine.split('-')[0].toUpperCase()}-${Math.floor(100 + rnd() * 900)}`, serial: hex(rnd, 6), firmware: `3.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 20)}`, limits: { temperatureMax: 95, pressureMax: 10 } }),
          ),
        )
      }
      out.push({
        topic: `factory/${site}/${line}/events`,
        retain: false,
        live: true,
        next: () => json({ level: pick(rnd, ['info', 'info', 'warning', 'alarm']), machine: pick(rnd, MACHINES), code: `E${Math.floor(100 + rnd() * 800)}`, ts: new Date().toISOString() }),
      })
    }
  }
  return out
}

function home(rnd: Random): Signal[] {
  return ROOMS.flatMap((room) => {
    const temperature = walk(rnd, 19 + rnd() * 4, 12, 28, 0.1)
    const humidity = walk(rnd, 40 + rnd() * 15, 20, 90, 0.5)
    const brightness = walk(rnd, 128, 0, 255, 12)
    let on = rnd() < 0.5
    // Plain-text numbers and ON/OFF: what most home-automation bridges publish.
    return [
      live(`home/${room}/temperature`, true, () => text(round(temperature(), 1).toFixed(1))),
      live(`home/${room}/humidity`, true, () => text(String(Math.round(humidity())))),
      live(`home/${room}/light/state`, true, () => text((on = rnd() < 0.85 ? on : !on) ? 'ON' : 'OFF')),
      live(`home/${room}/light/brightness`, true, () => text(String(on ? Math.round(brightness()) : 0))),
      live(`home/${room}/motion`, true, () => text(rnd() < 0.2 ? 'true' : 'false')),
    ]
  })
}

function vehicles(rnd: Random): Signal[] {
  return VEHICLES.flatMap((id, i) => {
    const lat = walk(rnd, 53.55 + i * 0.01, 53.4, 53.7, 0.0008)
    const lon = walk(rnd, 9.99 + i * 0.01, 9.8, 10.2, 0.0008)
    const speed = walk(rnd, 40, 0, 110, 6)
    const soc = walk(rnd, 60 + rnd() * 40, 5, 100, 0.3)
    return [
      live(`vehicles/${id}/gps`, true, () => json({ lat: round(lat(), 6), lon: round(lon(), 6), speedKmh: Math.round(speed()), heading: Math.floor(rnd() * 360), ts: new Date().toISOString() })),
      live(`vehicles/${id}/battery`, true, () => json({ soc: round(soc(), 1), voltage: round(11.8 + soc() / 60, 2) })),
      fixed(`vehicles/${id}/status`, json({ driver: `driver-${100 + i}`, route: `R${10 + i}`, online: true })),
      // Raw CAN frames are a stream, not state: not retained.
      { topic: `vehicles/${id}/can`, retain: false, live: true, next: () => canFrame(rnd) },
    ]
  })
}

function energy(rnd: Random): Signal[] {
  return Array.from({ length: 6 }, (_, i) => {
    const power = walk(rnd, 2000 + rnd() * 3000, 0, 11000, 150)
    let total = 10_000 + rnd() * 50_000
    const meter = `energy/meters/meter-${String(i + 1).padStart(2, '0')}`
    return [
      live(`${meter}/power`, true, () => reading(Math.round(power()), 'W')),
      live(`${meter}/energy`, true, () => reading(round((total += rnd() * 0.05), 3), 'kWh')),
    ]
  }).flat()
}

function weather(rnd: Random): Signal[] {
  return ['station-north', 'station-south'].flatMap((station) => {
    const t = walk(rnd, 12 + rnd() * 6, -20, 40, 0.2)
    const h = walk(rnd, 60, 10, 100, 1)
    const w = walk(rnd, 5, 0, 30, 0.8)
    const p = walk(rnd, 1013, 960, 1050, 0.3)
    return [
      live(`weather/${station}/temperature`, true, () => text(round(t(), 1).toFixed(1))),
      live(`weather/${station}/humidity`, true, () => text(String(Math.round(h())))),
      live(`weather/${station}/wind/speed`, true, () => text(round(w(), 1).toFixed(1))),
      live(`weather/${station}/pressure`, true, () => text(round(p(), 1).toFixed(1))),
    ]
  })
}

/** Mosquitto-style $SYS statistics. Note that '#' does not match them: '$SYS/#' does. */
function brokerStats(stats: () => BrokerStats): Signal[] {
  const sys = (topic: string, value: () => string | number): Signal => live(`$SYS/broker/${topic}`, true, () => text(String(value())))
  return [
    fixed('$SYS/broker/version', text('MQTTS Explorer Sandbox (aedes, MQTT 3.1.1)')),
    sys('uptime', () => `${Math.floor((Date.now() - stats().startedAt) / 1000)} seconds`),
    sys('clients/connected', () => stats().clients),
    sys('messages/published', () => stats().messagesPublished),
    sys('heap/current', () => process.memoryUsage().heapUsed),
    sys('load/messages/1min', () => Math.round(stats().messagesPublished / Math.max(1, (Date.now() - stats().startedAt) / 60_000))),
  ]
}

/** An 8-byte-payload CAN frame as loggers capture it: 4-byte big-endian id, DLC, 3 pad, 8 data. */
function canFrame(rnd: Random): Buffer {
  const frame = Buffer.alloc(16)
  frame.writeUInt32BE(pick(rnd, [0x0cf00400, 0x18fef100, 0x18fee900, 0x0c000003]), 0)
  frame[4] = 8
  for (let i = 8; i < 16; i++) frame[i] = Math.floor(rnd() * 256)
  return frame
}

/** A bounded random walk starting at `start`. */
export function walk(rnd: Random, start: number, min: number, max: number, step: number): () => number {
  let value = start
  return () => (value = Math.min(max, Math.max(min, value + (rnd() * 2 - 1) * step)))
}

function live(topic: string, retain: boolean, next: () => Buffer): Signal {
  return { topic, retain, live: true, next }
}

function fixed(topic: string, payload: Buffer): Signal {
  return { topic, retain: true, live: false, next: () => payload }
}

function reading(value: number, unit: string): Buffer {
  return json({ value, unit, ts: new Date().toISOString() })
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}

function text(value: string): Buffer {
  return Buffer.from(value, 'utf8')
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export function pick<T>(rnd: Random, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]
}

function hex(rnd: Random, bytes: number): string {
  return Array.from({ length: bytes }, () => Math.floor(rnd() * 256).toString(16).padStart(2, '0')).join('')
}
