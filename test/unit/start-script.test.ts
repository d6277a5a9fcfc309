import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BUILD_INPUTS, BUILD_OUTPUTS, staleReason } from '../../build/scripts/launch-helpers.mjs'

const roots: string[] = []
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true })
})

/** A fake checkout: one source file and every build output, with chosen modification times (seconds). */
function checkout(sourceTime: number, outputTime: number): string {
  const root = mkdtempSync(join(tmpdir(), 'mqtts-start-'))
  roots.push(root)
  const touch = (rel: string, time: number) => {
    const file = join(root, rel)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, 'x')
    utimesSync(file, time, time)
  }
  touch('electron/web/cli.ts', sourceTime)
  touch('renderer/node_modules/dep/index.js', sourceTime + 1000) // never counts as a source
  for (const out of BUILD_OUTPUTS) touch(out, outputTime)
  return root
}

describe('npm start / npm run web: build only when needed', () => {
  it('skips the build when every output is newer than every source', () => {
    expect(staleReason(checkout(1_000_000, 1_000_100))).toBeNull()
  })

  it('rebuilds when a source changed after the last build', () => {
    expect(staleReason(checkout(1_000_200, 1_000_100))).toMatch(/sources changed/)
  })

  it('rebuilds when an output is missing, naming it', () => {
    const root = checkout(1_000_000, 1_000_100)
    rmSync(join(root, 'out/preload/index.cjs'))
    expect(staleReason(root)).toBe('out/preload/index.cjs is missing')
  })

  it('watches the main side, the renderer and the build config', () => {
    expect(BUILD_INPUTS).toEqual(expect.arrayContaining(['electron', 'renderer', 'build/electron.vite.config.ts', 'package.json']))
  })
})
