/**
 * Import of real `mosquitto_sub -F %J` output (from the test mosquitto, over TLS) and of
 * mqtt-recorder-rs lines into the library, read back through the recording source.
 */
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecordedMessage } from '../../electron/core/recording/format'
import { readRecording } from '../../electron/core/recording/recording-source'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { peerTls, startPeer, startPublishWorld, subscribed, type PublishWorld } from './publish-helpers'

let world: PublishWorld

beforeAll(async () => {
  world = await startPublishWorld()
}, 60_000)

afterAll(async () => {
  await world?.close()
})

async function messagesOf(recordingId: string): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = []
  for await (const item of readRecording(await new RecordingStore(world.dataDir).path(recordingId))) if (item.kind === 'message') out.push(item.message)
  return out
}

describe('recordings.import', () => {
  it('imports what mosquitto_sub -F %J printed', async () => {
    const sub = startPeer('mosquitto_sub', [...peerTls(world), '-i', 'rec-import-sub', '-t', 'lab/imp/#', '-q', '1', '-F', '%J', '-C', '3'])
    await subscribed(world, 'rec-import-sub')
    const pub = (topic: string, message: string, extra: string[] = []) => startPeer('mosquitto_pub', [...peerTls(world), '-t', topic, '-m', message, ...extra]).exited()
    await pub('lab/imp/a', '{"temp":21.5}', ['-q', '1'])
    await pub('lab/imp/b', '[1,2,3]')
    await pub('lab/imp/c', '"text"', ['-q', '1'])
    const output = await sub.exited()
    expect(output.trim().split('\n')).toHaveLength(3)

    const info = await world.call('recordings.import', { fileName: 'capture.jsonl', contentBase64: Buffer.from(output).toString('base64'), kind: 'auto' })
    expect(info).toMatchObject({ name: 'capture', source: 'mosquitto_sub', messageCount: 3, topicCount: 3, badLines: 0 })
    const messages = await messagesOf(info.id)
    expect(messages.map((m) => [m.topic, m.qos, m.payload.toString()])).toEqual([
      ['lab/imp/a', 1, '{"temp":21.5}'],
      ['lab/imp/b', 0, '[1,2,3]'],
      ['lab/imp/c', 1, 'text'],
    ])
    // Times come from mosquitto_sub's tst: within this test's run, in order.
    expect(messages[0].wallMs).toBeGreaterThan(Date.now() - 60_000)
    expect(messages[2].offsetUs).toBeGreaterThanOrEqual(messages[0].offsetUs)
    expect((await world.call('recordings.list')).some((r) => r.id === info.id)).toBe(true)
  }, 30_000)

  it('imports mqtt-recorder-rs lines with exact bytes', async () => {
    const lines = [
      { time: 1700000000.25, qos: 0, retain: false, topic: 'a/b', msg_b64: Buffer.from([0, 255, 10]).toString('base64') },
      { time: 1700000001.5, qos: 2, retain: true, topic: 'a/c', msg_b64: Buffer.from('hi').toString('base64') },
    ]
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\nnot json\n'
    const info = await world.call('recordings.import', { fileName: 'rs.json', contentBase64: Buffer.from(text).toString('base64'), kind: 'auto' })
    expect(info).toMatchObject({ source: 'mqtt-recorder-rs', messageCount: 2, durationMs: 1250 })
    const messages = await messagesOf(info.id)
    expect(messages[0].payload.equals(Buffer.from([0, 255, 10]))).toBe(true)
    expect(messages[1]).toMatchObject({ topic: 'a/c', qos: 2, retain: true, offsetUs: 1_250_000, wallMs: 1700000001500 })
  })

  it('exports a selection as CSV and JSONL, downloadable by pages', async () => {
    const lines = [
      { time: 1700000000, qos: 0, retain: false, topic: 'x/a', msg_b64: Buffer.from('one, "two"').toString('base64') },
      { time: 1700000001, qos: 1, retain: false, topic: 'x/b', msg_b64: Buffer.from([0xff, 0xfe]).toString('base64') },
      { time: 1700000002, qos: 1, retain: true, topic: 'x/a', msg_b64: Buffer.from('three').toString('base64') },
    ]
    const info = await world.call('recordings.import', { fileName: 'sel.json', contentBase64: Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')).toString('base64'), kind: 'mqtt-recorder-rs' })
    const csv = await world.call('recordings.export', { recordingId: info.id, selection: { filters: ['x/a'], toUs: 1_500_000 }, format: 'csv' })
    expect(csv.messageCount).toBe(1)
    const page = await world.call('recordings.download', { id: csv.downloadId, offset: 0, length: 10 })
    expect(page.eof).toBe(false)
    const rest = await world.call('recordings.download', { id: csv.downloadId, offset: 10, length: 1 << 20 })
    expect(rest.eof).toBe(true)
    const text = Buffer.concat([Buffer.from(page.base64, 'base64'), Buffer.from(rest.base64, 'base64')]).toString()
    const b64 = Buffer.from('one, "two"').toString('base64')
    expect(text).toBe(`offset_us,wall_iso,topic,qos,retain,payload_base64,payload_utf8\n0,${new Date(1700000000000).toISOString()},x/a,0,0,${b64},"one, ""two"""\n`)

    const gz = await world.call('recordings.export', { recordingId: info.id, selection: { filters: [] }, format: 'jsonl.gz' })
    expect(gz.messageCount).toBe(3)
    const all = await world.call('recordings.download', { id: gz.downloadId, offset: 0, length: 1 << 20 })
    const exported = gunzipSync(Buffer.from(all.base64, 'base64')).toString().trim().split('\n')
    expect(exported).toHaveLength(4)
    expect(JSON.parse(exported[2])).toMatchObject({ topic: 'x/b', payload: Buffer.from([0xff, 0xfe]).toString('base64') })
  })

  it('refuses a file it does not read', async () => {
    await expect(world.call('recordings.import', { fileName: 'x.txt', contentBase64: Buffer.from('hello\n').toString('base64'), kind: 'auto' })).rejects.toMatchObject({ code: 'RECORDING_BAD_FILE' })
  })
})
