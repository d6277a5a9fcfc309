/**
 * The main side gives each warning, note, reason and progress sentence a stable notice code
 * where it writes the sentence, with the values a translation needs, and keeps its English as it
 * was: the English field and the notice's message are the same text.
 */
import { deflateSync, gzipSync } from 'node:zlib'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encode as cborEncode } from 'cbor2'
import { describe, expect, it } from 'vitest'
import { MAX_TOPIC_BYTES, noticesMessage, OutgoingMessage, ProfileSpec, TlsProbeParams, type Notice, type Profile } from '../../electron/api'
import { validateFilter } from '../../electron/core/connections/topic-filter'
import { Session, PLAINTEXT_PASSWORD_WARNING, VERIFY_OFF_WARNING } from '../../electron/core/connections/session'
import { draftFromPayload, encodeDraft } from '../../electron/core/encode'
import { encodeBase64, encodeHex } from '../../electron/core/encode/text-formats'
import { draftFromStored } from '../../electron/core/publish/draft-from-message'
import { liveValues, MQTT5_DROPPED_WARNING, prepareMessage } from '../../electron/core/publish/prepare-message'
import { refusalNotice, refusalSentence } from '../../electron/core/publish/send-window'
import { compileRemap } from '../../electron/core/replay/remap'
import { probeTls } from '../../electron/core/tls/probe'
import { toUnavailable, type DataKeyStore } from '../../electron/core/vault/key-store'
import { Vault } from '../../electron/core/vault/vault'
import type { StoredMessage } from '../../electron/core/tree/topic-node'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import { decodeContext } from '../fixtures/decode-tools'

const schemas = compileSchemaFiles([]).lookup

function filterNotice(filter: string): { message: string; notice: Notice } {
  const err = validateFilter(filter)
  if (!err) throw new Error(`${filter} was accepted`)
  expect(err.code).toBe('MQTT_FILTER_INVALID')
  return { message: err.message, notice: err.detail?.notice as Notice }
}

describe('topic filters refused before subscribing', () => {
  it.each([
    ['', 'FILTER_EMPTY', undefined],
    ['a'.repeat(MAX_TOPIC_BYTES + 1), 'FILTER_TOO_LONG', { bytes: MAX_TOPIC_BYTES + 1, max: MAX_TOPIC_BYTES }],
    ['a/\u0000', 'FILTER_NUL', undefined],
    ['a/\uD800', 'FILTER_LONE_SURROGATE', undefined],
    ['$share/group', 'FILTER_SHARE_INCOMPLETE', { filter: '$share/group' }],
    ['$share/g+/a', 'FILTER_SHARE_GROUP_WILDCARD', { group: 'g+' }],
    ['a/#/b', 'FILTER_HASH_NOT_LAST', { filter: 'a/#/b' }],
    ['a/b#', 'FILTER_HASH_INSIDE', { level: 'b#' }],
    ['a/b+/c', 'FILTER_PLUS_INSIDE', { level: 'b+' }],
  ])('names the rule %j breaks as %s, with the error’s own sentence', (filter, code, params) => {
    const { message, notice } = filterNotice(filter)
    expect(notice.code).toBe(code)
    expect(notice.params).toEqual(params)
    expect(notice.message).toBe(message)
  })
})

describe('payload problems from publish.encode', () => {
  it('codes the hex and base64 mistakes it places', () => {
    const codeOf = (r: ReturnType<typeof encodeHex>) => (r.ok ? null : r.problem.notice?.code)
    expect(codeOf(encodeHex('0x1 0x22'))).toBe('HEX_UNPAIRED_BEFORE_GROUP')
    expect(codeOf(encodeHex('zz'))).toBe('HEX_BAD_DIGIT')
    expect(codeOf(encodeHex('abc'))).toBe('HEX_ODD_DIGITS')
    expect(codeOf(encodeBase64('ab=c'))).toBe('BASE64_PAD_INSIDE')
    expect(codeOf(encodeBase64('ab==='))).toBe('BASE64_TOO_MUCH_PADDING')
    expect(codeOf(encodeBase64('ab*'))).toBe('BASE64_BAD_CHARACTER')
    expect(codeOf(encodeBase64('abcde'))).toBe('BASE64_CUT_SHORT')
    expect(codeOf(encodeBase64('abc=='))).toBe('BASE64_WRONG_PADDING')
    const bad = encodeHex('zz')
    if (bad.ok) throw new Error('accepted')
    expect(bad.problem.notice).toEqual({ code: 'HEX_BAD_DIGIT', params: { char: "'z'" }, message: bad.problem.message })
    expect(bad.problem).toMatchObject({ line: 1, column: 1 })
  })

  it('codes a file’s base64 sentences apart from the typed base64’s, since they name the file', () => {
    const r = encodeBase64('abcde', "file's base64")
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problem.notice).toEqual({ code: 'FILE_BASE64_CUT_SHORT', message: r.problem.message })
  })

  it('codes the Protobuf type and size refusals', () => {
    const draft = OutgoingMessage.parse({ topic: 't', payload: { format: 'protobuf', body: '{}' } }).payload
    const pick = encodeDraft(draft, { schemas })
    expect(pick.ok ? null : pick.problem.notice?.code).toBe('PAYLOAD_PROTOBUF_PICK_TYPE')
    const unknown = encodeDraft({ ...draft, protobufType: 'no.Such' }, { schemas })
    expect(unknown.ok ? null : unknown.problem.notice).toMatchObject({ code: 'PAYLOAD_PROTOBUF_UNKNOWN_TYPE', params: { name: 'no.Such' } })
    const big = encodeDraft({ format: 'text', body: 'x'.repeat(16 * 1024 * 1024 + 1), gzip: false, placeholders: false }, { schemas })
    expect(big.ok ? null : big.problem.notice).toMatchObject({ code: 'PAYLOAD_TOO_BIG_TEXT', params: { bytes: 16 * 1024 * 1024 + 1, max: 16 * 1024 * 1024 } })
  })
})

describe('publish and replay warnings', () => {
  it('codes the dropped MQTT 5 properties of a publish on MQTT 3.1.1', () => {
    const message = OutgoingMessage.parse({ topic: 'a', payload: { format: 'text', body: 'x' }, properties: { contentType: 'text/plain' } })
    const prepared = prepareMessage(message, liveValues(0), { schemas }, false)
    expect(prepared.warnings).toEqual([{ code: 'PUBLISH_MQTT5_DROPPED', message: MQTT5_DROPPED_WARNING }])
  })

  it('codes a broker’s refusal, with its own words when it gave some', () => {
    const ack = { reasonCode: 0x87, reasonName: 'Not authorized', accepted: false }
    expect(refusalNotice(ack)).toEqual({ code: 'REPLAY_REFUSED', params: { reasonName: 'Not authorized', reasonCode: '0x87' }, message: refusalSentence(ack) })
    expect(refusalNotice({ ...ack, reasonString: 'no' })).toMatchObject({ code: 'REPLAY_REFUSED_SAID', params: { reasonString: 'no' } })
  })

  it('says which recorded topic a remap spoiled, and into what', () => {
    const remap = compileRemap([{ kind: 'prefix', from: 'a/', to: '' }, { kind: 'prefix', from: 'b/', to: 'x/+/' }])
    expect(remap('a/')).toMatchObject({ ok: false, topic: 'a/' })
    expect(remap('a/')).not.toHaveProperty('remapped')
    expect(remap('b/c')).toMatchObject({ ok: false, topic: 'b/c', remapped: 'x/+/c' })
  })
})

describe('connection warnings', () => {
  const profile = (spec: object): Profile => ({ ...ProfileSpec.parse({ name: 'p', host: '127.0.0.1', port: 1883, ...spec }), id: 'p1', createdAt: '', updatedAt: '' })
  const hooks = { onState: () => {}, onBatch: () => {} }
  const limits = { batchIntervalMs: 50, recentLimit: 10 }

  it('codes the switched-off verification and the plain-text password, beside the same English', () => {
    const off = new Session(profile({ scheme: 'mqtts', tls: { verify: false } }), {}, hooks, limits).state()
    expect(off.warnings).toEqual([VERIFY_OFF_WARNING])
    expect(off.warningNotices).toEqual([{ code: 'CONNECTION_VERIFY_OFF', message: VERIFY_OFF_WARNING }])
    const plain = new Session(profile({ scheme: 'mqtt' }), { password: 'pw' }, hooks, limits).state()
    expect(plain.warningNotices).toEqual([{ code: 'CONNECTION_PLAINTEXT_PASSWORD', message: PLAINTEXT_PASSWORD_WARNING }])
  })
})

describe('drafts from received messages', () => {
  const stored = (data: Buffer, over: Partial<StoredMessage> = {}): StoredMessage => ({ data, offset: 0, length: data.length, qos: 0, retain: false, time: 0, size: data.length, truncated: false, properties: undefined, evicted: false, ...over })

  it('codes the binary and the truncated notes, and joins their English as before', () => {
    const draft = draftFromStored('t', stored(Buffer.from([0xff, 0x00]), { size: 5000, truncated: true }))
    expect(draft.noteNotices?.map((n) => n.code)).toEqual(['DRAFT_BINARY_AS_HEX', 'DRAFT_TRUNCATED'])
    expect(draft.noteNotices?.[1].params).toEqual({ stored: 2, size: 5000 })
    expect(draft.note).toBe(noticesMessage(draft.noteNotices ?? []))
  })

  it('codes a decoded draft’s note, and the gzip sentence after it', () => {
    const cbor = Buffer.from(cborEncode({ a: 1 }))
    const plain = draftFromPayload(cbor, decodeContext({ schemas }))
    expect(plain.notes).toEqual([{ code: 'DRAFT_DECODED_SAME', params: { label: 'CBOR' }, message: plain.note }])
    const zipped = draftFromPayload(gzipSync(cbor), decodeContext({ schemas }))
    expect(zipped.notes?.map((n) => n.code)).toEqual(['DRAFT_DECODED_SAME', 'DRAFT_GZIPPED'])
    expect(zipped.note).toBe(noticesMessage(zipped.notes ?? []))
  })
})

describe('the vault’s reason', () => {
  it('codes the keychain’s failure by what the keyring library said', () => {
    expect(toUnavailable(new Error('DBus error: no bus')).reasonNotice.code).toBe('KEYCHAIN_NO_BUS')
    expect(toUnavailable(new Error('org.freedesktop.secrets was not provided')).reasonNotice.code).toBe('KEYCHAIN_NO_SECRET_SERVICE')
    expect(toUnavailable(new Error('access denied')).reasonNotice.code).toBe('KEYCHAIN_REFUSED')
    expect(toUnavailable(new Error('boom')).reasonNotice).toEqual({ code: 'KEYCHAIN_NO_ANSWER', params: { detail: 'boom' }, message: 'The system keychain did not answer (boom).' })
  })

  it('gives a fresh vault without a keychain the keychain’s failure and the way out, as two coded sentences', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mqtts-vault-notices-'))
    try {
      const broken = (): DataKeyStore => ({ kind: 'keychain', get: () => Promise.reject(new Error('DBus error: no bus')), set: () => Promise.reject(new Error('DBus error')), delete: () => Promise.resolve() })
      const status = (await Vault.open(dir, { keychain: broken })).status()
      expect(status.state).toBe('needs-passphrase')
      expect(status.reasonNotices?.map((n) => n.code)).toEqual(['KEYCHAIN_NO_BUS', 'VAULT_CHOOSE_PASSPHRASE_INSTEAD'])
      expect(status.reason).toBe(noticesMessage(status.reasonNotices ?? []))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('TLS probe progress', () => {
  it('codes every step it reports, with the version and the ALPN protocol it tries', async () => {
    const seen: Array<{ message: string; notice?: Notice }> = []
    // Port 9 on 127.0.0.1: nothing listens, so each step fails at once.
    await probeTls(TlsProbeParams.parse({ host: '127.0.0.1', port: 9, alpn: ['mqtt'], stepTimeoutMs: 2000 }), (p) => seen.push(p))
    expect(seen.map((p) => p.notice?.code)).toEqual(['PROBE_TRYING_VERSION', 'PROBE_TRYING_VERSION', 'PROBE_OFFERING_ALPN', 'PROBE_CLIENT_CERT', 'PROBE_CHAIN', 'PROBE_DONE'])
    expect(seen[0].notice?.params).toEqual({ version: 'TLSv1.3' })
    expect(seen[2].notice?.params).toEqual({ protocol: 'mqtt' })
    for (const p of seen) expect(p.notice?.message).toBe(p.message)
  })
})

describe('drafts that stay as received', () => {
  it('codes why and how, and keeps the English note of two parts as it was', () => {
    const drafted = draftFromPayload(deflateSync(Buffer.from('{"a":1}')), decodeContext({ schemas }))
    expect(drafted.notes).toEqual([
      { code: 'DRAFT_LAYERS', params: { layers: 'zlib → json' }, message: 'Received as zlib → json, which the editor cannot write back' },
      { code: 'DRAFT_AS_HEX', message: 'the editor holds the payload as received, as hex.' },
    ])
    expect(drafted.note).toBe('Received as zlib → json, which the editor cannot write back; the editor holds the payload as received, as hex.')
  })

  it('leaves a note that quotes the decoder’s own words without codes, so it is never half translated', () => {
    const drafted = draftFromPayload(Buffer.from([0xc1]), decodeContext({ schemas, forced: { decoder: 'msgpack' } }))
    expect(drafted.note).toMatch(/the editor holds the payload as received/)
    expect(drafted.notes).toBeUndefined()
  })
})
