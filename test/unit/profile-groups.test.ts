import { describe, expect, it } from 'vitest'
import type { Profile } from '../../electron/api'
import { ProfileSpec } from '../../electron/api'
import { groupNames, groupProfiles, matchesSearch } from '../../renderer/src/lib/connections/profile-groups'

function profile(name: string, host: string, group?: string): Profile {
  return { ...ProfileSpec.parse({ name, host, port: 8883, group }), id: name, createdAt: '', updatedAt: '' }
}

const list = [profile('Sandbox', '127.0.0.1'), profile('Plant A', 'a.plant.example', 'Factories'), profile('Plant B', 'b.plant.example', 'Factories'), profile('Home', 'home.lan', 'Labs'), profile('Cloud', 'iot.cloud.example')]

describe('the sidebar\'s folders and search', () => {
  it('lists profiles without a folder first, then folders by name, each in the given order', () => {
    expect(groupProfiles(list, '').map((g) => [g.name, g.profiles.map((p) => p.name)])).toEqual([
      [null, ['Sandbox', 'Cloud']],
      ['Factories', ['Plant A', 'Plant B']],
      ['Labs', ['Home']],
    ])
  })

  it('matches every word of a search in the name, address or folder, in any order, ignoring case', () => {
    expect(groupProfiles(list, 'plant b').map((g) => g.profiles.map((p) => p.name))).toEqual([['Plant B']])
    expect(groupProfiles(list, 'FACTORIES').flatMap((g) => g.profiles.map((p) => p.name))).toEqual(['Plant A', 'Plant B'])
    expect(groupProfiles(list, 'mqtts://home').flatMap((g) => g.profiles.map((p) => p.name))).toEqual(['Home'])
    expect(groupProfiles(list, 'nothing here')).toEqual([])
    expect(matchesSearch(list[0]!, '   ')).toBe(true)
  })

  it('names each folder once, for the editor\'s suggestions, and ignores blank ones', () => {
    expect(groupNames([...list, profile('X', 'x', '  ')])).toEqual(['Factories', 'Labs'])
  })

  it('trims a folder name in the profile itself', () => {
    expect(ProfileSpec.parse({ name: 'n', host: 'h', port: 1, group: '  Labs ' }).group).toBe('Labs')
  })
})
