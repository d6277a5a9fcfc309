/**
 * The desktop "Save as…": the OS dialog (a fake here: Electron's binary is not available) gets a
 * title, a default path and filters for the file's kind; the chosen path receives a byte-exact
 * copy; cancelling copies nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSaveFileAs, saveFilters, type SaveDialog } from '../../electron/main/save-file'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('save as', () => {
  it('copies the file, byte for byte, where the dialog says', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-save-'))
    const source = join(dir, 'abc.mqtt.jsonl.gz')
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x80])
    await writeFile(source, bytes)
    const asked: Parameters<SaveDialog>[0][] = []
    const target = join(dir, 'chosen.mqtt.jsonl.gz')
    const saveAs = createSaveFileAs(async (options) => (asked.push(options), { canceled: false, filePath: target }), () => '/home/me/Documents')
    expect(await saveAs('Night shift.mqtt.jsonl.gz', source)).toBe(target)
    expect((await readFile(target)).equals(bytes)).toBe(true)
    expect(asked[0].defaultPath).toBe(join('/home/me/Documents', 'Night shift.mqtt.jsonl.gz'))
    expect(asked[0].filters[0]).toEqual({ name: 'Recording (JSON Lines, gzip)', extensions: ['gz'] })
  })

  it('copies nothing when the dialog is cancelled', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-save-'))
    const copies: string[] = []
    const saveAs = createSaveFileAs(async () => ({ canceled: true }), () => dir!, async (from) => void copies.push(from))
    expect(await saveAs('x.csv', join(dir, 'x.csv'))).toBeNull()
    expect(copies).toEqual([])
  })

  it('offers filters by kind', () => {
    expect(saveFilters('a.csv')[0].extensions).toEqual(['csv'])
    expect(saveFilters('a.mqtt.jsonl')[0].extensions).toEqual(['jsonl'])
    expect(saveFilters('a.mqtt.jsonl')[1]).toEqual({ name: 'All files', extensions: ['*'] })
  })
})
