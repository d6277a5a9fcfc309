/**
 * MessagePack via @msgpack/msgpack: 64-bit integers as bigints (kept exact in the JSON form),
 * extension types as {"$ext": type, "base64": …} (the timestamp extension, -1, as ISO text),
 * map keys that are not strings or numbers as their JSON text. Detected when the whole payload
 * is one map or array.
 */
import { Decoder } from '@msgpack/msgpack'
import { jsonSafe, toJsonSafe, TooDeepError } from '../json-safe'
import type { Format } from './format'
import { invalid, messageOf } from './format'
import { scanMsgpack } from './msgpack-scan'

const decoder = new Decoder({
  useBigInt64: true,
  mapKeyConverter: (key: unknown) => (typeof key === 'string' || typeof key === 'number' ? key : JSON.stringify(toJsonSafe(key))),
})

export const msgpackFormat: Format = {
  id: 'msgpack',
  label: 'MessagePack',
  detect(b) {
    const first = b[0]
    if (b.length < 2 || !((first >= 0x80 && first <= 0x9f) || (first >= 0xdc && first <= 0xdf))) return null
    const scan = scanMsgpack(b)
    return scan.ok && scan.top !== 'other' ? `one MessagePack ${scan.top}` : null
  },
  decode(b) {
    const scan = scanMsgpack(b)
    if (!scan.ok) return invalid('MessagePack', scan.error)
    let value: unknown
    try {
      value = decoder.decode(b)
    } catch (err) {
      return invalid('MessagePack', messageOf(err))
    }
    try {
      return { kind: 'final', result: { kind: 'value', value: jsonSafe(value) } }
    } catch (err) {
      if (err instanceof TooDeepError) return invalid('MessagePack', `too deep to show: ${err.message}`)
      throw err
    }
  },
}
