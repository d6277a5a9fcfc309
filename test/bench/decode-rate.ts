/**
 * `decode-rate`: the main side's decode of ~200-byte payloads through `decodePayload` (with a
 * context, decoders picked as in the app: Sparkplug B by its topic, Protobuf by a rule, CBOR and
 * MessagePack by detection), against calling the library directly on the same bytes in the same
 * run (protobufjs decode + toObject, cbor2 decode, a @msgpack/msgpack Decoder with exact 64-bit integers). The two are run in
 * alternating rounds so load on the machine falls on both alike; the ratio is of time per message
 * (each side's fastest round).
 */
import { Decoder as MsgpackDecoder, encode as msgpackEncode } from '@msgpack/msgpack'
import { decode as cborDecode, encode as cborEncode } from 'cbor2'
import protobuf from 'protobufjs'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import { sparkplugPayloadType } from '../../electron/core/decode/sparkplug/schema'
import type { DecodeContext } from '../../electron/core/decode/types'
import { NO_SCHEMAS } from '../../electron/core/decode/types'
import { ratioRow, valueRow, type ResultRow } from './report'

const TELEMETRY_PROTO = `syntax = "proto3";
package bench;
message Telemetry {
  string device = 1;
  uint64 time = 2;
  double temperature = 3;
  double humidity = 4;
  int32 rssi = 5;
  bool online = 6;
  repeated double samples = 7;
  string firmware = 8;
}
`
const TO_OBJECT = { longs: String, enums: String, bytes: String, oneofs: true, json: true }

interface Case {
  name: string
  payload: Buffer
  context: DecodeContext
  reference: (b: Buffer) => unknown
  expect: string
}

const msgpackReference = new MsgpackDecoder({ useBigInt64: true })

function cases(): Case[] {
  const sensor = { device: 'sensor-0042', time: 1_700_000_000_123, temperature: 21.57, humidity: 48.2, rssi: -67, online: true, samples: [21.5, 21.52, 21.55, 21.57, 21.6, 21.58, 21.61, 21.57], firmware: '2.4.1-rc3', site: 'north-hall' }
  const sp = sparkplugPayloadType()
  const birth = Buffer.from(sp.encode(sp.fromObject({
    timestamp: 1_700_000_000_000, seq: 0,
    metrics: ['Temperature', 'Humidity', 'Pressure', 'Flow', 'Level', 'Speed', 'Current', 'Voltage'].map((name, i) => ({ name, alias: i + 1, datatype: 10, double_value: 0 })),
  })).finish())
  const ddata = Buffer.from(sp.encode(sp.fromObject({
    timestamp: 1_700_000_000_500, seq: 7,
    metrics: Array.from({ length: 8 }, (_, i) => ({ alias: i + 1, timestamp: 1_700_000_000_400 + i, datatype: 10, double_value: 20 + i * 1.25 })),
  })).finish())
  const compiled = compileSchemaFiles([{ name: 'telemetry.proto', text: TELEMETRY_PROTO }])
  // The reference parses the same .proto itself (compileSchemaFiles keeps its types inside the lookup).
  const telemetry = protobuf.parse(TELEMETRY_PROTO, { keepCase: true }).root.lookupType('bench.Telemetry')
  const protoBytes = Buffer.from(telemetry.encode(telemetry.fromObject(sensor)).finish())
  const base = { schemas: NO_SCHEMAS, latestPayload: () => undefined }
  return [
    {
      name: 'Sparkplug B', payload: ddata, expect: 'sparkplug',
      context: { ...base, topic: 'spBv1.0/plant/DDATA/edge-1/pump', latestPayload: (t) => (t === 'spBv1.0/plant/NBIRTH/edge-1' ? birth : undefined) },
      reference: (b) => sp.toObject(sp.decode(b), TO_OBJECT),
    },
    {
      name: 'Protobuf (schema type, by rule)', payload: protoBytes, expect: 'protobuf',
      context: { ...base, topic: 'plant/1/telemetry', schemas: compiled.lookup, rule: { filter: 'plant/+/telemetry', decoder: 'protobuf', protobufType: 'bench.Telemetry' } },
      reference: (b) => telemetry.toObject(telemetry.decode(b), TO_OBJECT),
    },
    { name: 'CBOR', payload: Buffer.from(cborEncode(sensor)), expect: 'cbor', context: { ...base, topic: 'plant/1/cbor' }, reference: (b) => cborDecode(b) },
    // 64-bit integers exact, as ours must give them (the library's default rounds them); one
    // Decoder reused, as the library advises (its `decode()` builds a Decoder per call).
    { name: 'MessagePack', payload: Buffer.from(msgpackEncode(sensor)), expect: 'msgpack', context: { ...base, topic: 'plant/1/msgpack' }, reference: (b) => msgpackReference.decode(b) },
  ]
}

function timeLoop(fn: (b: Buffer) => unknown, payload: Buffer, iterations: number): number {
  let sink = 0
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) if (fn(payload) !== undefined) sink++
  const ns = Number(process.hrtime.bigint() - t0)
  if (sink < 0) console.log(sink)
  return ns / iterations
}

export async function decodeRate(): Promise<ResultRow[]> {
  const rows: ResultRow[] = []
  for (const c of cases()) {
    const ours = (b: Buffer) => decodePayload(b, c.context).result
    const check = decodePayload(c.payload, c.context)
    if (check.detected !== c.expect || check.error !== null) throw new Error(`decode-rate: ${c.name} decoded as ${check.detected} (${check.error ?? 'no error'})`)
    // Warm up both, then alternate rounds (each side first in half of them). Each side's time is
    // its fastest round: on a shared machine other processes only ever add time, so the minimum
    // is the closest to the code's own cost (the median moved the ratio by ±0.5 between runs).
    timeLoop(ours, c.payload, 20_000)
    timeLoop(c.reference, c.payload, 20_000)
    const oursNs: number[] = []
    const refNs: number[] = []
    for (let round = 0; round < 30; round++) {
      if (round % 2 === 0) {
        oursNs.push(timeLoop(ours, c.payload, 5_000))
        refNs.push(timeLoop(c.reference, c.payload, 5_000))
      } else {
        refNs.push(timeLoop(c.reference, c.payload, 5_000))
        oursNs.push(timeLoop(ours, c.payload, 5_000))
      }
    }
    const o = Math.min(...oursNs) / 1000
    const r = Math.min(...refNs) / 1000
    rows.push(ratioRow('decode-rate', `${c.name}, ${c.payload.length} B: time per message vs the library alone`, 'µs', o, r, 1.2, 0))
    rows.push(valueRow('decode-rate', `${c.name}: messages/s through decodePayload`, 'msg/s', 1e6 / o, undefined, 1e6 / r))
  }
  return rows
}
