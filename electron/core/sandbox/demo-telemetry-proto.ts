/**
 * Protobuf telemetry for the Sandbox: the `.proto` is published retained as text on
 * `sandbox/schemas/telemetry.proto` (the inspector offers to import a `.proto` topic as a
 * schema), and two gateways publish binary `sandbox.v1.Telemetry` messages encoded with
 * protobufjs from that same text, so what a user imports is exactly what the bytes were made with.
 */
import protobuf from 'protobufjs'
import { round, walk, type Random } from './demo-signals'
import type { DemoSource, FeedMessage } from './demo-source'

export const TELEMETRY_PROTO_TOPIC = 'sandbox/schemas/telemetry.proto'
export const TELEMETRY_TYPE = 'sandbox.v1.Telemetry'

/** The schema as published (and as a user would save it as `telemetry.proto`). */
export const TELEMETRY_PROTO = `// Telemetry of the MQTTS Explorer Sandbox's demo gateways (topics sandbox/proto/+/telemetry).
// Import this file as a schema to decode those topics with their field names.
syntax = "proto3";

package sandbox.v1;

// One report of a gateway.
message Telemetry {
  // How the gateway judges its own state.
  enum Health {
    HEALTH_UNSPECIFIED = 0;
    HEALTH_OK = 1;
    HEALTH_DEGRADED = 2;
    HEALTH_FAILED = 3;
  }

  // Where the gateway is mounted.
  message Location {
    double latitude = 1;
    double longitude = 2;
    float altitude_m = 3;
  }

  // One measured quantity.
  message Reading {
    string name = 1;
    double value = 2;
    string unit = 3;
  }

  string gateway_id = 1;
  // Milliseconds since the Unix epoch.
  int64 timestamp_ms = 2;
  uint32 seq = 3;
  Health health = 4;
  Location location = 5;
  repeated Reading readings = 6;
  // The first 8 bytes of the firmware image's SHA-256.
  bytes firmware_hash = 7;
  // Nanoseconds since boot: beyond 2^53, so a decoder must keep all 64 bits.
  int64 uptime_ns = 8;
  // Raw vibration samples, zigzag-encoded and packed.
  repeated sint32 samples = 9;
  map<string, string> labels = 10;
}
`

let telemetryType: protobuf.Type | undefined

/** The Telemetry type, parsed from TELEMETRY_PROTO on first use. */
export function telemetryProtoType(): protobuf.Type {
  telemetryType ??= protobuf.parse(TELEMETRY_PROTO, { keepCase: true }).root.lookupType(TELEMETRY_TYPE)
  return telemetryType
}

export interface TelemetryOptions {
  rnd: Random
  /** Feed ticks between two reports of each gateway; default 8 (2 s at 250 ms). */
  every?: number
}

interface Gateway {
  id: string
  contentType?: string
  seq: number
  /** Uptime at the first report. */
  uptimeNs: bigint
  hash: Buffer
  location: { latitude: number; longitude: number; altitude_m: number }
  temperature: () => number
  humidity: () => number
  voltage: () => number
}

/** The schema topic and two gateways, one with the `application/x-protobuf` content type, one without. */
export class DemoTelemetry implements DemoSource {
  private readonly rnd: Random
  private readonly every: number
  private readonly gateways: Gateway[]
  private startedAt?: number

  constructor(options: TelemetryOptions) {
    const rnd = (this.rnd = options.rnd)
    this.every = options.every ?? 8
    this.gateways = [
      { id: 'gw-01', contentType: 'application/x-protobuf', lat: 53.5511, lon: 9.9937 },
      { id: 'gw-02', lat: 45.764, lon: 4.8357 },
    ].map(({ id, contentType, lat, lon }) => ({
      id,
      contentType,
      seq: 0,
      // 143 days and a bit: past 2^53 nanoseconds from the first message.
      uptimeNs: 12_345_678_901_234_567n + BigInt(Math.floor(rnd() * 1e12)),
      hash: Buffer.from(Array.from({ length: 8 }, () => Math.floor(rnd() * 256))),
      location: { latitude: lat, longitude: lon, altitude_m: Math.round(20 + rnd() * 200) },
      temperature: walk(rnd, 21 + rnd() * 4, -10, 45, 0.2),
      humidity: walk(rnd, 50, 10, 95, 0.8),
      voltage: walk(rnd, 24, 22, 26, 0.05),
    }))
  }

  get topics(): string[] {
    return [TELEMETRY_PROTO_TOPIC, ...this.gateways.map((g) => `sandbox/proto/${g.id}/telemetry`)]
  }

  initial(now: number): FeedMessage[] {
    return [{ topic: TELEMETRY_PROTO_TOPIC, payload: Buffer.from(TELEMETRY_PROTO, 'utf8'), retain: true, contentType: 'text/plain; charset=utf-8' }, ...this.gateways.map((g) => this.report(g, now))]
  }

  tick(tick: number, now: number): FeedMessage[] {
    // The two gateways report half a period apart.
    const half = this.every >> 1
    return this.gateways.filter((_, i) => tick % this.every === (i === 0 ? 0 : half)).map((g) => this.report(g, now))
  }

  private report(g: Gateway, now: number): FeedMessage {
    g.seq++
    this.startedAt ??= now
    const uptimeNs = g.uptimeNs + BigInt(Math.max(0, now - this.startedAt)) * 1_000_000n
    const temperature = round(g.temperature(), 2)
    const health = temperature > 40 ? 'HEALTH_DEGRADED' : this.rnd() < 0.02 ? 'HEALTH_FAILED' : 'HEALTH_OK'
    const message = {
      gateway_id: g.id,
      // 64-bit fields as decimal strings: protobufjs keeps every bit of those.
      timestamp_ms: String(now),
      seq: g.seq,
      health,
      location: g.location,
      readings: [
        { name: 'temperature', value: temperature, unit: '°C' },
        { name: 'humidity', value: round(g.humidity(), 1), unit: '%' },
        { name: 'supply', value: round(g.voltage(), 3), unit: 'V' },
      ],
      firmware_hash: g.hash,
      uptime_ns: uptimeNs.toString(),
      samples: Array.from({ length: 8 }, (_, i) => Math.round(Math.sin((g.seq + i) / 2) * 900 + (this.rnd() - 0.5) * 60)),
      labels: { site: g.id === 'gw-01' ? 'hamburg' : 'lyon', fw: '1.8.0' },
    }
    const type = telemetryProtoType()
    const payload = Buffer.from(type.encode(type.fromObject(message)).finish())
    return { topic: `sandbox/proto/${g.id}/telemetry`, payload, retain: true, ...(g.contentType ? { contentType: g.contentType } : {}) }
  }
}
