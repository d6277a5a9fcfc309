/**
 * README's shortcut table is the command table written out: this test rebuilds it from
 * COMMAND_SPECS and compares, so a changed shortcut or a new command cannot leave README behind.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { COMMAND_SPECS, formatShortcut, type CommandSpec } from '../../electron/api/commands'

const readme = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')

/** The table as README must show it, between its two markers. */
function keyboardTable(): string {
  const keys = (c: CommandSpec, isMac: boolean) => (c.shortcut ? `\`${formatShortcut(c.shortcut, isMac)}\`` : 'palette only')
  const rows = (COMMAND_SPECS as readonly CommandSpec[]).map((c) => `| ${c.title} | ${keys(c, false)} | ${keys(c, true)} | \`${c.id}\` |`)
  return ['| command | Linux, Windows | macOS | id |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

describe('README keyboard table', () => {
  it('lists every command with the shortcut the registry uses', () => {
    const start = readme.indexOf('<!-- keyboard-table -->')
    const end = readme.indexOf('<!-- /keyboard-table -->')
    expect(start, 'README.md has no <!-- keyboard-table --> block').toBeGreaterThan(-1)
    expect(readme.slice(start + '<!-- keyboard-table -->'.length, end).trim()).toBe(keyboardTable())
  })
})
