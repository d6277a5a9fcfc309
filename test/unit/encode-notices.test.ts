/**
 * Every refusal of the payload editor's encoders and JSON parser carries a notice: its stable
 * code, the values its sentence is made of (words as codes: `labelKind`, `valueKind`, …; an inner
 * sentence as `problemCode` and `problem.*`), and main's English sentence unchanged, which is
 * also the problem's message.
 */
import { describe, expect, it } from 'vitest'
import { NOTICE_CODES, type NoticeCode } from '../../electron/api'
import type { DecodeOutcome } from '../../electron/core/decode/types'
import { draftFromDecoded } from '../../electron/core/encode'
import { readCbor, readMsgpack, ReadError } from '../../electron/core/encode/binary-read'
import { ENCODE_CASES, problemOf, schemas } from '../fixtures/encode-problems'

/** The group of codes the encoders add, from the first one on (they close the list). */
const ENCODER_CODES = NOTICE_CODES.slice(NOTICE_CODES.indexOf('JSON_EMPTY'))

/** Codes no payload typed in the editor reaches: V8 or a library failing where our checks passed, and the readers' (tested below). */
const UNREACHABLE_HERE: readonly string[] = ['JSON_UNREADABLE', 'JSON_INVALID', 'PAYLOAD_NOT_ENCODED', 'PROTOBUF_UNRESOLVED']

describe('the encoders’ refusals', () => {
  it.each(ENCODE_CASES.map((c) => [c.code, c.format, c.body.slice(0, 80), c] as const))('%s for %s %j', (_code, _format, _body, c) => {
    const problem = problemOf(c)
    expect(problem.notice?.code).toBe(c.code)
    expect(problem.notice?.params).toEqual(c.params)
    expect(problem.notice?.message).toBe(problem.message)
  })

  it('has a case for every code of the group, so none is left without one', () => {
    const covered = new Set(ENCODE_CASES.map((c) => c.code))
    const left = ENCODER_CODES.filter((code) => !covered.has(code) && !UNREACHABLE_HERE.includes(code) && !code.startsWith('READ_'))
    expect(left).toEqual([])
  })

  it('keeps the place: a line and column for the parser, a pointer for a value', () => {
    expect(problemOf({ format: 'msgpack', body: '{\n  "a" 1}', code: 'JSON_UNEXPECTED' })).toMatchObject({ line: 2, column: 7 })
    expect(problemOf({ format: 'protobuf', body: '{"by_id": {"1": 2}}', protobufType: 't.Probe', code: '' }).pointer).toBe('/by_id/1')
    expect(problemOf({ format: 'sparkplug', body: '{"metrics": [{"name": "m", "datatype": "Bytes", "value": "a!"}]}', code: '' }).pointer).toBe('/metrics/0/value')
  })

  it('writes main’s English as before', () => {
    const english = (body: string, protobufType?: string) => problemOf({ format: protobufType ? 'protobuf' : 'cbor', body, ...(protobufType ? { protobufType } : {}), code: '' }).message
    expect(english('{"a" 1}')).toBe('Unexpected \'1\': expected \':\' after the key "a".')
    expect(english('{"by_id": {"x": "v"}}', 't.Probe')).toBe('A key of the field "by_id" is int32: it takes a whole number (or its decimal text), not the text "x".')
    expect(english('{"by_id": {"1": 2}}', 't.Probe')).toBe('The value of "1" in by_id is string: put the value in double quotes (it is the number 2).')
    expect(english('{"$base64": "a!"}')).toBe("$base64: '!' is not a base64 character: use A–Z, a–z, 0–9, + and / (or - and _), with optional '=' padding.")
  })
})

describe('reading received bytes back for editing', () => {
  const reason = (read: () => unknown): { code: NoticeCode; message: string; params?: unknown } => {
    try {
      read()
    } catch (err) {
      if (err instanceof ReadError) return err.said
      throw err
    }
    throw new Error('read')
  }

  it('codes why the bytes could not be read', () => {
    expect(reason(() => readMsgpack(Buffer.from([0x92, 0x01])))).toEqual({ code: 'READ_TRUNCATED', message: 'truncated' })
    expect(reason(() => readMsgpack(Buffer.from([0xc1])))).toEqual({ code: 'READ_NOT_MSGPACK_TYPE', message: '0xc1 is not a MessagePack type', params: { byte: '0xc1' } })
    expect(reason(() => readCbor(Buffer.from([0x01, 0x02])))).toEqual({ code: 'READ_TRAILING_BYTES', message: 'trailing bytes' })
    expect(reason(() => readCbor(Buffer.from([0x1c])))).toEqual({ code: 'READ_RESERVED_INFO', message: 'reserved additional information' })
    expect(reason(() => readCbor(Buffer.from([0xff])))).toEqual({ code: 'READ_UNEXPECTED_BREAK', message: 'unexpected break' })
  })

  it('says the reason inside the draft’s note, coded', () => {
    const bytes = Buffer.from([0x92, 0x01])
    const outcome = { detected: 'msgpack', layers: [{ decoder: 'msgpack' }], error: null, bytes } as unknown as DecodeOutcome
    const drafted = draftFromDecoded(bytes, outcome, { schemas })
    expect(drafted.note).toBe('It could not be turned into an editable form (truncated); the editor holds the payload as received, as hex.')
    expect(drafted.notes?.[0]).toEqual({ code: 'DRAFT_UNEDITABLE', message: 'It could not be turned into an editable form (truncated)', params: { error: 'truncated', errorCode: 'READ_TRUNCATED' } })
  })
})
