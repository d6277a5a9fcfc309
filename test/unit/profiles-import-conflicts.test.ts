import { describe, expect, it } from 'vitest'
import { ApiError, type Profile } from '../../electron/api'
import { choiceFor, findConflicts, freeName, requireChoices } from '../../electron/core/profiles-io/conflicts'

const profile = (id: string, name: string, builtin?: 'sandbox') => ({ id, name, ...(builtin ? { builtin } : {}) }) as Profile

describe('profiles that an import finds already here', () => {
  it('matches the id an export carries before the name, and names the built-in Sandbox as such', () => {
    const existing = [profile('sandbox', 'Sandbox', 'sandbox'), profile('id-a', 'Renamed A'), profile('id-b', 'B')]
    const drafts = [{ spec: { name: 'A' }, sourceId: 'id-a' }, { spec: { name: 'B' } }, { spec: { name: 'Sandbox' } }, { spec: { name: 'New' }, sourceId: 'elsewhere' }]
    expect(findConflicts(drafts, existing)).toEqual([
      { index: 0, name: 'A', existingId: 'id-a', existingName: 'Renamed A', match: 'id', builtin: false },
      { index: 1, name: 'B', existingId: 'id-b', existingName: 'B', match: 'name', builtin: false },
      { index: 2, name: 'Sandbox', existingId: 'sandbox', existingName: 'Sandbox', match: 'name', builtin: true },
    ])
  })

  it('refuses, naming the profiles, until every conflict has a choice; a choice for one beats the one for all', () => {
    const conflicts = findConflicts([{ spec: { name: 'A' } }, { spec: { name: 'B' } }], [profile('1', 'A'), profile('2', 'B')])
    const err = (() => {
      try {
        requireChoices(conflicts, { each: [{ index: 0, choice: 'skip' }] }, 'profiles.json')
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'PROFILES_IMPORT_CONFLICT', message: expect.stringContaining('"B"') })
    expect(() => requireChoices(conflicts, { all: 'keep-both', each: [{ index: 0, choice: 'skip' }] }, 'profiles.json')).not.toThrow()
    expect(conflicts.map((c) => choiceFor(c, { all: 'keep-both', each: [{ index: 0, choice: 'skip' }] }))).toEqual(['skip', 'keep-both'])
  })

  it('numbers a kept copy after the ones already there, within the 200-character limit', () => {
    expect(freeName('lab', new Set())).toBe('lab')
    expect(freeName('lab', new Set(['lab']))).toBe('lab (2)')
    expect(freeName('lab', new Set(['lab', 'lab (2)']))).toBe('lab (3)')
    expect(freeName('lab (2)', new Set(['lab', 'lab (2)']))).toBe('lab (3)')
    const long = 'x'.repeat(200)
    expect(freeName(long, new Set([long]))).toBe(`${'x'.repeat(196)} (2)`)
  })
})
