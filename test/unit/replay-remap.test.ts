import { describe, expect, it } from 'vitest'
import { compileRemap } from '../../electron/core/replay/remap'

describe('replay remap', () => {
  it('first matching rule wins; prefix and regex with $1 and $<name>', () => {
    const remap = compileRemap([
      { kind: 'prefix', from: 'a/', to: 'b/' },
      { kind: 'regex', pattern: '^(\\w+)/(?<room>\\w+)$', replacement: 'x/$<room>/$1' },
    ])
    expect(remap('a/1')).toEqual({ ok: true, topic: 'b/1' })
    expect(remap('home/kitchen')).toEqual({ ok: true, topic: 'x/kitchen/home' })
    expect(remap('q/r/s')).toEqual({ ok: true, topic: 'q/r/s' })
  })
  it('refuses empty and wildcard results', () => {
    expect(remap1('a', '')).toMatchObject({ ok: false })
    expect(remap1('a', '+')).toMatchObject({ ok: false })
  })
})

function remap1(topic: string, to: string) {
  return compileRemap([{ kind: 'prefix', from: topic, to }])(topic)
}
