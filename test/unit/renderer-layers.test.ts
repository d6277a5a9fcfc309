/**
 * The renderer's own layering: components render, stores hold state, lib/ holds pure logic.
 * Stores and lib/ never reach into components/, and components/ holds only .vue files, so
 * a store never drags a view (or its styles) along when a test or another feature imports it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../renderer/src')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Every relative import (static, type-only or dynamic) of a file, resolved against its folder. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!)
  return specifiers.map((specifier) => relative(src, resolve(dirname(file), specifier)))
}

describe('renderer layering', () => {
  it('stores and lib/ never import from components/', () => {
    const offenders = ['stores', 'lib']
      .flatMap((folder) => filesUnder(join(src, folder)))
      .flatMap((file) => relativeImports(file).filter((target) => target.startsWith('components/')).map((target) => `${relative(src, file)} → ${target}`))
    expect(offenders).toEqual([])
  })

  it('components/ holds only .vue files: pure logic lives in lib/', () => {
    const logic = filesUnder(join(src, 'components')).filter((file) => !file.endsWith('.vue')).map((file) => relative(src, file))
    expect(logic).toEqual([])
  })
})
