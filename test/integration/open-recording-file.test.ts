/**
 * A recording file the OS hands the desktop app (a double click, "Open with", a second launch):
 * the whole service, as the Electron shell calls it, with files written outside the data folder.
 * Our own format is copied byte for byte (plain and gzip) and opened offline; another tool's
 * lines are converted as an import; a file that is no recording, or is missing, is refused with
 * a sentence and leaves the library as it was.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, type EventName, type EventPayloads, type OfflineState } from '../../electron/api'
import { FORMAT_NAME, FORMAT_VERSION, headerLine, messageLine } from '../../electron/core/recording/format'
import { createService, type Service } from '../../electron/core/service'
import { recorded } from '../fixtures/recording-file'
import { callService } from '../fixtures/service-call'

let dir: string
let service: Service
const opened: OfflineState[] = []

function recordingText(name: string, topics: string[]): string {
  const header = headerLine({
    format: FORMAT_NAME, version: FORMAT_VERSION, app: 'test', startedAt: 1_750_000_000_000, startedAtIso: new Date(1_750_000_000_000).toISOString(), monotonicStartNs: '0',
    broker: { url: 'mqtts://plant.example:8883', mqttVersion: 5, tls: null }, client: {}, subscriptions: [], filters: [], part: 1, name,
  })
  return [header, ...topics.map((t, i) => messageLine(recorded(i * 1000, t, JSON.stringify({ i }))))].join('\n') + '\n'
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-open-file-'))
  service = await createService({
    dataDir: join(dir, 'data'),
    mode: 'electron',
    version: 'test',
    emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => {
      if (name === 'offline.opened') opened.push(payload as OfflineState)
    },
  })
})

afterAll(async () => {
  await service?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('a recording opened from the OS', () => {
  it('is copied into the library byte for byte, opened offline, and the windows are told to show it', async () => {
    const path = join(dir, 'night shift.mqtt.jsonl')
    const text = recordingText('night', ['a/1', 'a/2', 'b/1'])
    await writeFile(path, text)
    const state = await service.openRecordingFile(path)
    expect(opened.at(-1)?.connectionId).toBe(state.connectionId)
    const info = (await callService(service, 'recordings.list')).find((r) => state.connectionId.endsWith(r.id))!
    expect(info.name).toBe('night shift')
    expect(info.messageCount).toBe(3)
    expect(info.gzip).toBe(false)
    expect(await readFile(join(dir, 'data', 'recordings', info.fileName), 'utf8')).toBe(text)
    const connections = await callService(service, 'connections.list')
    expect(connections.map((c) => c.connectionId)).toContain(state.connectionId)
    // The original is the user's: untouched.
    expect(await readFile(path, 'utf8')).toBe(text)
  })

  it('keeps a gzip recording gzip, whatever it is named', async () => {
    const path = join(dir, 'plant.mqtt.jsonl.gz')
    const bytes = gzipSync(recordingText('plant', ['x/1', 'x/2']))
    await writeFile(path, bytes)
    const state = await service.openRecordingFile(path)
    const info = (await callService(service, 'recordings.list')).find((r) => state.connectionId.endsWith(r.id))!
    expect(info.gzip).toBe(true)
    expect(info.messageCount).toBe(2)
    expect((await readFile(join(dir, 'data', 'recordings', info.fileName))).equals(bytes)).toBe(true)
  })

  it('converts mosquitto_sub -F %J output as an import does', async () => {
    const path = join(dir, 'dump.jsonl')
    await writeFile(path, ['{"tst":"2026-12-01T10:00:00.000000Z+0000","topic":"m/1","qos":0,"retain":0,"payloadlen":1,"payload":"1"}', '{"tst":"2026-12-01T10:00:00.500000Z+0000","topic":"m/2","qos":0,"retain":0,"payloadlen":1,"payload":"2"}'].join('\n') + '\n')
    const state = await service.openRecordingFile(path)
    const info = (await callService(service, 'recordings.list')).find((r) => state.connectionId.endsWith(r.id))!
    expect(info.messageCount).toBe(2)
    expect(info.name).toBe('dump')
  })

  it('refuses a file that is no recording, or is not there, with a sentence, and adds nothing', async () => {
    const before = (await callService(service, 'recordings.list')).length
    const junk = join(dir, 'notes.jsonl')
    await writeFile(junk, 'milk\neggs\n')
    await expect(service.openRecordingFile(junk)).rejects.toMatchObject({ code: 'RECORDING_BAD_FILE', message: expect.stringMatching(/not a recording this app reads/) })
    await expect(service.openRecordingFile(join(dir, 'gone.mqtt.jsonl'))).rejects.toSatisfy((err: unknown) => err instanceof ApiError && err.code === 'RECORDING_NOT_FOUND' && /no such file/.test(err.message))
    expect((await callService(service, 'recordings.list')).length).toBe(before)
  })
})
