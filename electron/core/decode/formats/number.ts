/** Fixed-width numbers: every reading that fits the payload's length, 64-bit values exact, as text. */
import type { NumberFormat, NumberReading } from '../../../api/inspect'
import type { Format } from './format'
import { reason } from '../sentences'
import type { DecodeReason } from '../types'
import { invalidBecause } from './format'

/** The shortest decimal that reads back as the same float32. */
function float32Text(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  for (let p = 1; p <= 9; p++) {
    const t = Number(v.toPrecision(p))
    if (Math.fround(t) === v) return String(t)
  }
  return String(v)
}

export function numberReadings(b: Buffer): NumberReading[] | null {
  const r = (format: NumberFormat, value: string | number | bigint): NumberReading => ({ format, value: String(value) })
  switch (b.length) {
    case 1:
      return [r('int8', b.readInt8(0)), r('uint8', b.readUInt8(0))]
    case 2:
      return [r('int16le', b.readInt16LE(0)), r('int16be', b.readInt16BE(0)), r('uint16le', b.readUInt16LE(0)), r('uint16be', b.readUInt16BE(0))]
    case 4:
      return [
        r('int32le', b.readInt32LE(0)), r('int32be', b.readInt32BE(0)), r('uint32le', b.readUInt32LE(0)), r('uint32be', b.readUInt32BE(0)),
        r('float32le', float32Text(b.readFloatLE(0))), r('float32be', float32Text(b.readFloatBE(0))),
      ]
    case 8:
      return [
        r('int64le', b.readBigInt64LE(0)), r('int64be', b.readBigInt64BE(0)), r('uint64le', b.readBigUInt64LE(0)), r('uint64be', b.readBigUInt64BE(0)),
        r('float64le', b.readDoubleLE(0)), r('float64be', b.readDoubleBE(0)),
      ]
    default:
      return null
  }
}

/** "4 bytes, nothing else fits": detection's reason for a number reading, one per length it fits. */
const LENGTH_REASONS = new Map<number, DecodeReason>([1, 2, 4, 8].map((n) => [n, reason(`${n} bytes, nothing else fits`, 'numberBytes', { n })]))
export const numberReason = (n: number): DecodeReason => LENGTH_REASONS.get(n) ?? reason(`${n} bytes, nothing else fits`, 'numberBytes', { n })

export const numberFormat: Format = {
  id: 'number',
  label: 'number',
  detect: (b) => (b.length === 1 || b.length === 2 || b.length === 4 || b.length === 8 ? numberReason(b.length) : null),
  decode(b) {
    const readings = numberReadings(b)
    if (readings === null) return invalidBecause('number', `${b.length} bytes is not 1, 2, 4 or 8`, 'invalidNumberLength', { n: b.length })
    return { kind: 'final', result: { kind: 'numbers', readings } }
  },
}
