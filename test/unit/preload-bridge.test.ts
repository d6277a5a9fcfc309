import { describe, expect, it, vi } from 'vitest'
import { BRIDGE_GLOBAL, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type EventFrame, type RendererChannel } from '../../electron/api'

// The preload runs against Electron's renderer modules; stand in for them and capture what it exposes.
const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as Array<[string, unknown]>,
  listeners: [] as Array<[string, (...args: unknown[]) => void]>,
}))
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => void fake.exposed.set(name, api) },
  ipcRenderer: {
    invoke: async (channel: string, frame: { id: number }) => {
      fake.invoked.push([channel, frame])
      return { t: 'res', id: frame.id, ok: true, result: 'from main' }
    },
    on: (channel: string, fn: (...args: unknown[]) => void) => void fake.listeners.push([channel, fn]),
    removeListener: (_channel: string, fn: (...args: unknown[]) => void) => {
      fake.listeners.splice(fake.listeners.findIndex(([, f]) => f === fn), 1)
    },
  },
}))
await import('../../electron/preload/index')
const bridge = fake.exposed.get(BRIDGE_GLOBAL) as RendererChannel

describe('preload bridge', () => {
  it('exposes exactly request and onEvent under the agreed global name', () => {
    expect([...fake.exposed.keys()]).toEqual([BRIDGE_GLOBAL])
    expect(Object.keys(bridge).sort()).toEqual(['onEvent', 'request'])
  })

  it('forwards contract methods as request frames', async () => {
    const res = await bridge.request('profiles.list', {})
    expect(res).toMatchObject({ ok: true, result: 'from main' })
    expect(fake.invoked.at(-1)).toEqual([IPC_REQUEST_CHANNEL, { t: 'req', id: res.id, method: 'profiles.list', params: {} }])
  })

  it('refuses names outside the contract without asking the main process', async () => {
    const before = fake.invoked.length
    const res = await bridge.request('fs.readFile' as never, { path: '/etc/passwd' })
    expect(res).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    expect(fake.invoked.length).toBe(before)
  })

  it('gives listeners the event frame only, never the IPC event, and stops on request', () => {
    const seen: unknown[][] = []
    const off = bridge.onEvent((...args: unknown[]) => void seen.push(args))
    const frame: EventFrame = { t: 'evt', name: 'profiles.changed', payload: [] }
    const [channel, deliver] = fake.listeners.at(-1)!
    expect(channel).toBe(IPC_EVENT_CHANNEL)
    deliver({ sender: 'ipcRenderer would leak here' }, frame)
    expect(seen).toEqual([[frame]])
    off()
    expect(fake.listeners.length).toBe(0)
  })
})
