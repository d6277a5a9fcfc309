/**
 * The publish editor's own checks, which block Publish with a sentence and mark a line and
 * column: JSON syntax (against JSON.parse as the independent judge of validity), hex, base64,
 * placeholders masked to their length, topics with wildcards; Format/Minify that keep the
 * user's tokens; the properties form; the outcome sentence.
 */
import { describe, expect, it } from 'vitest'
import { checkJson, reformatJson } from '../../renderer/src/lib/publish/json-text'
import { checkPayload, maskPlaceholders, topicProblem } from '../../renderer/src/lib/publish/payload-check'
import { propertiesForm, readPropertiesForm } from '../../renderer/src/lib/publish/properties-form'
import { outcomeLine } from '../../renderer/src/lib/publish/outcome-text'
import type { PayloadDraft, PublishOutcome } from '../../electron/api'

const draft = (format: PayloadDraft['format'], body: string, placeholders = true): PayloadDraft => ({ format, body, gzip: false, placeholders })

describe('JSON check', () => {
  const valid = ['{}', '[]', '0', '-0.5e+10', '"a\\u00e9\\n"', ' {"a": [1, 2, {"b": null}], "c": true, "d": false} ', '[[[[]]]]', '1e5', '"\u00e9"']
  const invalid = ['', '{', '{"a" 1}', '{"a": 1,}', '[1,]', '[1 2]', "{'a': 1}", '07', '1.', '-', '"abc', '"a\nb"', '"\\x"', 'tru', '{} {}', '// c\n{}', '{"a":1}}', '[1e]', '"\\u12G4"']

  it('agrees with JSON.parse on what is valid', () => {
    for (const text of valid) {
      expect(() => JSON.parse(text)).not.toThrow()
      expect(checkJson(text), text).toBeNull()
    }
    for (const text of invalid) {
      expect(() => JSON.parse(text), text).toThrow()
      expect(checkJson(text), text).not.toBeNull()
    }
  })

  it('says where, by line and column, and why', () => {
    expect(checkJson('{\n  "a": 1,\n  "b": 2,\n}')).toMatchObject({ line: 4, column: 1, message: expect.stringMatching(/trailing comma/) })
    expect(checkJson('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ line: 3, column: 3, message: 'Expected “,” or “}” but found “"”' })
    expect(checkJson('{"a": "x}')).toMatchObject({ line: 1, column: 7, message: expect.stringMatching(/never closed/) })
    expect(checkJson("{'a': 1}")).toMatchObject({ column: 2, message: expect.stringMatching(/double quotes/) })
  })

  it('checks 1 MB of JSON and refuses hostile nesting with a sentence, not a stack overflow', () => {
    const big = JSON.stringify(Array.from({ length: 24_000 }, (_, i) => ({ id: i, name: `sensor-${i}`, ok: i % 2 === 0 })))
    expect(big.length).toBeGreaterThan(900_000)
    expect(checkJson(big)).toBeNull()
    expect(checkJson('['.repeat(200_000))?.message).toMatch(/Nested more than/)
  })
})

describe('Format and Minify', () => {
  it('re-indents and minifies, keeping numbers and escapes as written', () => {
    const text = '{"big":12345678901234567890,"s":"\\u00e9\\"","a":[1,{}],"e":[]}'
    expect(reformatJson(text, 2)).toBe('{\n  "big": 12345678901234567890,\n  "s": "\\u00e9\\"",\n  "a": [\n    1,\n    {}\n  ],\n  "e": []\n}')
    expect(reformatJson(reformatJson(text, 2)!, 0)).toBe(text)
    expect(reformatJson('{"a":', 2)).toBeNull()
  })

  it('formats around placeholders, which the shadow text stands in for', () => {
    const text = '{"n":{{counter}},"at":"{{iso}}"}'
    expect(reformatJson(text, 2, maskPlaceholders(text))).toBe('{\n  "n": {{counter}},\n  "at": "{{iso}}"\n}')
  })
})

describe('payload checks by format', () => {
  it('accepts placeholders where their rendered value goes, and keeps offsets true', () => {
    expect(maskPlaceholders('{"n": {{counter}}}')).toHaveLength('{"n": {{counter}}}'.length)
    expect(checkPayload(draft('json', '{"n": {{counter}}, "r": {{random 0 100}}, "id": "{{uuid}}"}'))).toBeNull()
    expect(checkPayload(draft('json', '{"n": {{counter}}}', false))).not.toBeNull()
    expect(checkPayload(draft('cbor', '{"n": {{now}}, }'))).toMatchObject({ line: 1, column: 16 })
  })

  it('refuses bad hex and base64 at the character', () => {
    expect(checkPayload(draft('hex', 'de ad\nbe ef'))).toBeNull()
    expect(checkPayload(draft('hex', 'de ad\nbx ef'))).toMatchObject({ line: 2, column: 2, message: expect.stringMatching(/“x” is not a hex digit/) })
    expect(checkPayload(draft('hex', 'abc'))?.message).toMatch(/odd number/)
    expect(checkPayload(draft('base64', 'aGVsbG8='))).toBeNull()
    expect(checkPayload(draft('base64', 'aGV*bG8='))).toMatchObject({ column: 4 })
    expect(checkPayload(draft('base64', 'aGVsb'))?.message).toMatch(/cut short/)
    expect(checkPayload(draft('base64', 'aG=Vs'))?.message).toMatch(/only pad the end/)
    expect(checkPayload(draft('text', '{ not json'))).toBeNull()
    expect(checkPayload(draft('file', ''))?.message).toMatch(/Choose a file/)
  })

  it('refuses wildcard topics with the reason', () => {
    expect(topicProblem('a/+/b')).toMatch(/wildcards for subscribing/)
    expect(topicProblem('a/#')).toMatch(/wildcards/)
    expect(topicProblem('dev/{{counter}}/cmd')).toBeNull()
    expect(topicProblem('')).toMatch(/Enter a topic/)
  })
})

describe('MQTT 5 properties form', () => {
  it('round-trips every property, user properties in order with repeated names', () => {
    const properties = {
      payloadFormatIndicator: true, contentType: 'application/json', messageExpiryInterval: 60, topicAlias: 3, responseTopic: 'r/me',
      correlationData: { encoding: 'hex' as const, value: 'c0ffee' }, userProperties: [{ name: 'k', value: '1' }, { name: 'k', value: '2' }, { name: 'a', value: '' }],
    }
    expect(readPropertiesForm(propertiesForm(properties))).toEqual({ properties, problem: null })
    expect(readPropertiesForm(propertiesForm({ userProperties: [] }))).toEqual({ properties: { userProperties: [] }, problem: null })
  })

  it('names the first wrong field', () => {
    const form = propertiesForm({ userProperties: [] })
    expect(readPropertiesForm({ ...form, topicAlias: '0' }).problem).toMatch(/Topic alias is between 1 and 65,535/)
    expect(readPropertiesForm({ ...form, messageExpiry: '1.5' }).problem).toMatch(/whole number/)
    expect(readPropertiesForm({ ...form, responseTopic: 'r/#' }).problem).toMatch(/^Response topic: .*wildcards/)
    expect(readPropertiesForm({ ...form, correlation: { encoding: 'hex', value: 'abc' } }).problem).toMatch(/two digits per byte/)
    expect(readPropertiesForm({ ...form, userProperties: [{ name: '', value: 'x' }] }).problem).toMatch(/needs a name/)
  })
})

describe('publish outcome', () => {
  const base: PublishOutcome = { topic: 't/1', bytes: 5, qos: 1, retain: false, publishedAt: Date.UTC(2026, 0, 1), ack: null, warnings: [] }
  it('says Sent for QoS 0, the reason for QoS 1/2, and a refusal as an error', () => {
    expect(outcomeLine({ ...base, qos: 0 })).toMatchObject({ tone: 'ok', text: expect.stringMatching(/^Sent\. Published to t\/1 .*nothing is acknowledged/) })
    expect(outcomeLine({ ...base, ack: { reasonCode: 0x10, reasonName: 'No matching subscribers', accepted: true } })).toMatchObject({ tone: 'ok', code: '0x10', text: expect.stringMatching(/acknowledged: No matching subscribers/) })
    expect(outcomeLine({ ...base, ack: { reasonCode: 0x87, reasonName: 'Not authorized', reasonString: 'ACL denies t/1', accepted: false } })).toMatchObject({ tone: 'refused', code: '0x87', text: 'Refused by the broker: Not authorized: “ACL denies t/1”. Nothing was published to t/1.' })
  })
})
