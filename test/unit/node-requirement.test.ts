/**
 * The Node.js versions package.json states are ones every locked dependency accepts, so the
 * requirement the project gives is true for npm install and every script. It went stale once:
 * Electron 45 and its tooling moved to Node 22.12 while the project still said 20.19, and
 * `npm install` warned EBADENGINE on exactly the versions the project claimed to support.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { requireFromBuilderLib } from '../fixtures/builder-require'

interface Semver {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean
  validRange(range: string): string | null
  minVersion(range: string): { version: string } | null
}
interface LockPackage {
  version?: string
  engines?: { node?: string } | string[]
}

// semver is not a declared dependency: take the copy electron-builder's app-builder-lib uses.
const semver = requireFromBuilderLib('semver') as Semver
const root = resolve(import.meta.dirname, '..', '..')
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> }

/** The lowest version of each alternative of a range ("^22.13.0 || >=24" → 22.13.0, 24.0.0): where a too-high floor shows first. */
function floorsOf(range: string): string[] {
  return range.split('||').map((part) => {
    const floor = semver.minVersion(part.trim())
    if (!floor) throw new Error(`"${part}" in engines.node has no lowest version`)
    return floor.version
  })
}

/** Every locked package whose engines.node refuses `version`, as "name@version wants range". */
function refusing(version: string): string[] {
  const out: string[] = []
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || !entry.engines || Array.isArray(entry.engines) || !entry.engines.node) continue
    if (!semver.satisfies(version, entry.engines.node, { includePrerelease: true })) {
      out.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version ?? '?'} wants ${entry.engines.node}`)
    }
  }
  return out
}

describe('the stated Node.js requirement', () => {
  it('is a valid range, and the lock file records the same one', () => {
    expect(semver.validRange(pkg.engines.node)).not.toBeNull()
    expect(lock.packages['']?.engines).toEqual(pkg.engines)
  })

  it('is accepted by every locked dependency at the lowest version of each alternative', () => {
    const floors = floorsOf(pkg.engines.node)
    expect(floors.length).toBeGreaterThan(0)
    for (const floor of floors) expect(refusing(floor), `Node ${floor}`).toEqual([])
  })

  it('would catch a floor that is too low (the check is not vacuous)', () => {
    expect(refusing('20.19.0')).toEqual(expect.arrayContaining([expect.stringMatching(/^electron@45\.\S+ wants >= ?22\.12\.0$/)]))
  })
})
