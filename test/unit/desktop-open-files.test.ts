import { describe, expect, it } from 'vitest'
import { isRecordingFile, OpenFileQueue, recordingPathsFromArgv } from '../../electron/main/open-files'
import { fitWindowState, parseWindowState } from '../../electron/main/window-state'

describe('recordings handed over on a command line', () => {
  it('takes the recording files after the executable, resolved against the caller\'s folder, each once', () => {
    const argv = ['/opt/MQTTS Explorer/mqtts-explorer', '--no-sandbox', 'night.mqtt.jsonl', '/data/plant.mqtt.jsonl.gz', 'notes.txt', 'night.mqtt.jsonl', 'dump.JSONL']
    expect(recordingPathsFromArgv(argv, { cwd: '/home/ana', packaged: true })).toEqual(['/home/ana/night.mqtt.jsonl', '/data/plant.mqtt.jsonl.gz', '/home/ana/dump.JSONL'])
  })

  it('skips the app folder an unpackaged Electron gets as its first argument, and switches', () => {
    const argv = ['/usr/lib/electron/electron', '/src/app.jsonl', '--allow-file-access-from-files', '-psn_0_12345', 'run.jsonl']
    expect(recordingPathsFromArgv(argv, { cwd: '/w', packaged: false })).toEqual(['/w/run.jsonl'])
  })

  it('finds nothing in a plain launch', () => {
    expect(recordingPathsFromArgv(['/opt/app/mqtts-explorer'], { cwd: '/', packaged: true })).toEqual([])
  })

  it('tells macOS open-file paths that are recordings from others', () => {
    expect(isRecordingFile('/Users/ana/run.mqtt.jsonl.gz')).toBe(true)
    expect(isRecordingFile('/Users/ana/archive.tar.gz')).toBe(false)
  })
})

describe('the queue of files to open', () => {
  it('holds files until the app is ready, then opens them in order, one at a time, never twice from the queue', async () => {
    const queue = new OpenFileQueue()
    queue.add(['/a.jsonl', '/b.jsonl'])
    queue.add(['/a.jsonl'])
    expect(queue.pending).toEqual(['/a.jsonl', '/b.jsonl'])
    const opened: string[] = []
    let concurrent = 0
    let most = 0
    const done = new Promise<void>((resolve) => {
      queue.ready(async (path) => {
        concurrent++
        most = Math.max(most, concurrent)
        await new Promise((r) => setTimeout(r, 5))
        opened.push(path)
        concurrent--
        if (opened.length === 3) resolve()
        if (path === '/b.jsonl') throw new Error('a failure does not stop the queue')
      })
      queue.add(['/c.jsonl'])
    })
    await done
    expect(opened).toEqual(['/a.jsonl', '/b.jsonl', '/c.jsonl'])
    expect(most).toBe(1)
    expect(queue.pending).toEqual([])
  })
})

describe('the window\'s remembered place', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 875 }
  const monitor = { x: 1440, y: 0, width: 2560, height: 1415 }
  const defaults = { width: 1360, height: 860 }
  const min = { width: 880, height: 560 }

  it('comes back where it was when that display is still there', () => {
    expect(fitWindowState({ x: 1600, y: 100, width: 1800, height: 1000, maximized: false }, [laptop, monitor], defaults, min)).toEqual({ x: 1600, y: 100, width: 1800, height: 1000, maximized: false })
  })

  it('comes back whole on a remaining display when its monitor is gone, shrunk to fit', () => {
    expect(fitWindowState({ x: 1600, y: 100, width: 1800, height: 1000, maximized: true }, [laptop], defaults, min)).toEqual({ width: 1440, height: 875, maximized: true })
  })

  it('is pulled inside the display when it hung over an edge, never below the minimum size', () => {
    expect(fitWindowState({ x: 1000, y: 600, width: 600, height: 400, maximized: false }, [laptop], defaults, min)).toEqual({ x: 560, y: 315, width: 880, height: 560, maximized: false })
  })

  it('opens at the default size the first time, or when the file holds nonsense', () => {
    expect(fitWindowState(null, [laptop], defaults, min)).toEqual({ ...defaults, maximized: false })
    expect(parseWindowState({ width: 'wide' })).toBeNull()
    expect(parseWindowState(null)).toBeNull()
    expect(parseWindowState({ width: 900.4, height: 600, x: 10, maximized: 'yes' })).toEqual({ width: 900, height: 600, maximized: false })
  })
})
