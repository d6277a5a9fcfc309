import { describe, expect, it } from 'vitest'
import { ProfileSpec } from '../../electron/api'
import { cleanRule, filterProblem, moveRule, ruleProblems } from '../../renderer/src/lib/editor/decoder-rules'
import { formFromProfile, specFromForm, validateForm } from '../../renderer/src/lib/editor/profile-form'

describe('decoder rules in the profile editor', () => {
  it.each(['#', '+', 'plant/+/telemetry', 'spBv1.0/#', 'a//b', '$SYS/#'])('accepts the filter %s', (f) => expect(filterProblem(f)).toBeNull())

  it.each([
    ['', /needs a topic filter/],
    ['a/#/b', /# must be the last level/],
    ['a#', /# must stand alone/],
    ['a/b+', /\+ must stand for a whole level/],
  ])('refuses the filter "%s" with a sentence', (f, message) => expect(filterProblem(f)).toMatch(message))

  it('asks for the message type of a Protobuf rule and the schema of an Avro rule, by row', () => {
    const problems = ruleProblems([
      { filter: 'ok/#', decoder: 'cbor' },
      { filter: 'p/#', decoder: 'protobuf' },
      { filter: 'x/#/y', decoder: 'avro' },
    ])
    expect(Object.keys(problems).sort()).toEqual(['decoderRules.1.protobufType', 'decoderRules.2.avroSchema', 'decoderRules.2.filter'])
    expect(problems['decoderRules.1.protobufType']).toMatch(/^Rule 2: pick the Protobuf message type/)
  })

  it('moves rows up and down (first match wins) and stays put at the ends', () => {
    expect(moveRule(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moveRule(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(moveRule(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(moveRule(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
  })

  it('saves rules with the profile, dropping a type the decoder does not use, and validates them with the form', () => {
    const form = formFromProfile(null)
    form.spec.decoderRules = [
      { filter: ' plant/+/telemetry ', decoder: 'protobuf', protobufType: 'plant.Telemetry' },
      { filter: 'sensors/#', decoder: 'cbor', protobufType: 'stale.Type' },
    ]
    expect(validateForm(form)).toEqual({})
    const spec = ProfileSpec.parse(specFromForm(form))
    expect(spec.decoderRules).toEqual([
      { filter: 'plant/+/telemetry', decoder: 'protobuf', protobufType: 'plant.Telemetry' },
      { filter: 'sensors/#', decoder: 'cbor' },
    ])
    form.spec.decoderRules.push({ filter: 'bad#', decoder: 'json' })
    expect(validateForm(form)['decoderRules.2.filter']).toMatch(/Rule 3: # must stand alone/)
    expect(cleanRule({ filter: 'a', decoder: 'avro', avroSchema: 'x.avsc', protobufType: 'p.T' })).toEqual({ filter: 'a', decoder: 'avro', avroSchema: 'x.avsc' })
  })
})
