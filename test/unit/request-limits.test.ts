import { describe, expect, it } from 'vitest'
import { MAX_ALPN_PROTOCOLS, MAX_EXPANDED_PATHS, MAX_PAYLOAD_BYTES, MAX_REQUEST_LIST_ENTRIES, MAX_REQUEST_OBJECT_KEYS, MAX_SUBSCRIPTIONS, MAX_USER_PROPERTY_VALUES, MAX_TOPIC_BYTES, MAX_USER_PROPERTIES, MAX_WILL_PAYLOAD_BYTES, methods, MIN_MASTER_PASSPHRASE, PublishParams, UserProperties, WillSpec } from '../../electron/api'
import { checkFrameShape, type FrameLimits } from '../../electron/rpc/frame-guard'
import { refusedRequest } from '../../electron/rpc/server'

// The frame itself is an object of four keys (t, id, method, params) at depth 1.
const small: FrameLimits = { depth: 5, listEntries: 3, objectKeys: 4, values: 40 }
const frame = (params: unknown) => Buffer.from(JSON.stringify({ t: 'req', id: 7, method: 'profiles.create', params }))

describe('the request frame guard', () => {
  it('lets a frame within the limits through, strings with quotes and brackets included', () => {
    expect(checkFrameShape(frame({ spec: { name: 'a "quoted" [x] {y}, \\', alpn: ['a', 'b', 'c'] } }), small)).toBeNull()
  })

  it('names the list that is too long, with the request id and method', () => {
    expect(checkFrameShape(frame({ spec: { tls: { alpn: [1, 2, 3, 4] } } }), small)).toEqual({
      id: 7, method: 'profiles.create', path: 'spec.tls.alpn', container: 'list', kind: 'entries', limit: 3,
    })
  })

  it('refuses an object with too many keys, and nesting deeper than the limit', () => {
    expect(checkFrameShape(frame({ a: 1, b: 2, c: 3, d: 4, e: 5 }), small)).toMatchObject({ path: '', container: 'object', kind: 'entries' })
    expect(checkFrameShape(frame({ spec: [[[1]]] }), small)).toBeNull()
    expect(checkFrameShape(frame({ spec: [[[[1]]]] }), small)).toMatchObject({ kind: 'depth', path: 'spec.0.0.0' })
  })

  it('blames the biggest list when a frame has too many values in all', () => {
    expect(checkFrameShape(frame({ subs: Array.from({ length: 6 }, () => ({ f: 'a', q: 1 })) }), { ...small, listEntries: 10, values: 20 })).toMatchObject({ kind: 'values', path: 'subs' })
  })

  it('answers a refused frame with BAD_REQUEST naming the field and the contract’s own limit there', () => {
    const refusal = checkFrameShape(frame({ spec: { tls: { alpn: Array(200_000).fill(1) } } }))!
    const answer = refusedRequest(refusal)
    expect(answer).toMatchObject({ id: 7, ok: false, error: { code: 'BAD_REQUEST' } })
    expect(answer?.ok === false && answer.error.message).toMatch(new RegExp(`spec\\.tls\\.alpn: .*at most ${MAX_ALPN_PROTOCOLS} entries`))
  })

  it('lets through the largest request the contract accepts, so IPC and WebSocket agree', () => {
    // Every user property name repeated with every value it may have: the most values one request can hold.
    const userProperties = Object.fromEntries(Array.from({ length: MAX_USER_PROPERTIES }, (_, i) => [`k${i}`, Array(MAX_USER_PROPERTY_VALUES).fill('v')]))
    const params = { connectionId: 'c', topic: 't', payload: '', properties: { userProperties } }
    expect(PublishParams.safeParse(params).success).toBe(true)
    expect(checkFrameShape(frame(params))).toBeNull()
    for (const entries of [MAX_SUBSCRIPTIONS, MAX_EXPANDED_PATHS, MAX_USER_PROPERTY_VALUES, MAX_ALPN_PROTOCOLS]) expect(entries).toBeLessThanOrEqual(MAX_REQUEST_LIST_ENTRIES)
    expect(MAX_USER_PROPERTIES).toBeLessThanOrEqual(MAX_REQUEST_OBJECT_KEYS)
  })

  it('leaves what is not JSON to JSON.parse', () => {
    expect(checkFrameShape(Buffer.from('{"t":"req","id":1,"method":"x","params":"never closed'))).toBeNull()
  })
})

describe('contract limits', () => {
  it('refuses an oversize list with one issue, not one per element', () => {
    const r = methods['profiles.create'].safeParse({ spec: { name: 'n', host: 'h', port: 1, tls: { alpn: Array(1_000_000).fill(1) } } })
    expect(r.error?.issues).toHaveLength(1)
    expect(r.error?.issues[0].path.join('.')).toBe('spec.tls.alpn')
  })

  it('counts a record’s keys before validating its values', () => {
    const props = Object.fromEntries(Array.from({ length: MAX_USER_PROPERTIES + 1 }, (_, i) => [`k${i}`, i]))
    const r = UserProperties.safeParse(props)
    expect(r.error?.issues).toHaveLength(1)
    expect(r.error?.issues[0].message).toContain(String(MAX_USER_PROPERTIES))
  })

  it('measures topics in UTF-8 bytes, as MQTT does', () => {
    const publish = (topic: string) => PublishParams.safeParse({ connectionId: 'c', topic, payload: '' }).success
    expect(publish('a'.repeat(MAX_TOPIC_BYTES))).toBe(true)
    expect(publish('é'.repeat(MAX_TOPIC_BYTES / 2 + 1))).toBe(false)
  })

  it('measures text payloads in UTF-8 bytes, as MQTT does', () => {
    const publish = (payload: string) => PublishParams.safeParse({ connectionId: 'c', topic: 't', payload }).success
    expect(publish('a'.repeat(MAX_PAYLOAD_BYTES))).toBe(true)
    expect(publish('é'.repeat(MAX_PAYLOAD_BYTES / 2))).toBe(true)
    expect(publish('é'.repeat(MAX_PAYLOAD_BYTES / 2 + 1))).toBe(false)
  })

  it('measures a will’s text payload in UTF-8 bytes, as MQTT does', () => {
    const will = (payload: string) => WillSpec.safeParse({ topic: 't', payload }).success
    expect(will('a'.repeat(MAX_WILL_PAYLOAD_BYTES))).toBe(true)
    // 21,846 three-byte characters: 65,538 bytes, though far fewer characters than the limit.
    expect(will('€'.repeat(Math.floor(MAX_WILL_PAYLOAD_BYTES / 3) + 1))).toBe(false)
  })

  it('holds a new master passphrase given with vault.reset to the master passphrase rule', () => {
    const reset = (passphrase: string) => methods['vault.reset'].safeParse({ confirm: true, passphrase }).success
    expect(reset('x'.repeat(MIN_MASTER_PASSPHRASE - 1))).toBe(false)
    expect(reset('x'.repeat(MIN_MASTER_PASSPHRASE))).toBe(true)
  })
})
