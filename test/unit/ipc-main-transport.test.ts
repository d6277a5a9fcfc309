import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type RequestFrame, type ResponseFrame, type ServerFrame } from '../../electron/api'
import type { RpcPeer, RpcServer } from '../../electron/rpc/server'
import { isTrustedSender } from '../../electron/main/app-protocol'

// Electron's binary does not exist in tests: stand in for ipcMain with a handler registry.
const handlers = vi.hoisted(() => new Map<string, (event: unknown, ...args: unknown[]) => unknown>())
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) => void handlers.set(channel, listener),
    removeHandler: (channel: string) => void handlers.delete(channel),
  },
}))
const { ipcEventPeer, serveIpcRequests } = await import('../../electron/rpc/ipc-main-transport')

interface FakeEvent {
  senderFrame: { url: string } | null
  senderId: number
}

function fakeRpc(calls: Array<{ frame: RequestFrame; peer?: RpcPeer }>): RpcServer {
  return {
    handle: async (frame, peer) => {
      calls.push({ frame, peer })
      return { t: 'res', id: frame.id, ok: true, result: 'ok' }
    },
  } as RpcServer
}

describe('Electron IPC transport (main side)', () => {
  const peer: RpcPeer = { label: 'window:1', send: () => {} }
  const asFake = (e: IpcMainInvokeEvent) => e as unknown as FakeEvent
  let calls: Array<{ frame: RequestFrame; peer?: RpcPeer }>
  let logs: string[]
  let stop: () => void
  const invoke = (event: FakeEvent, frame: unknown) => handlers.get(IPC_REQUEST_CHANNEL)!(event, frame) as Promise<ResponseFrame>

  beforeEach(() => {
    handlers.clear()
    calls = []
    logs = []
    stop = serveIpcRequests(fakeRpc(calls), {
      isTrusted: (e) => isTrustedSender(asFake(e).senderFrame?.url),
      peerFor: (e) => (asFake(e).senderId === 1 ? peer : undefined),
      log: (l) => logs.push(l),
    })
  })

  it('passes requests from our window to the RPC server, naming the window', async () => {
    const res = await invoke({ senderFrame: { url: 'app://mqtts/index.html' }, senderId: 1 }, { t: 'req', id: 7, method: 'app.info' })
    expect(res).toEqual({ t: 'res', id: 7, ok: true, result: 'ok' })
    expect(calls).toHaveLength(1)
    expect(calls[0].peer).toBe(peer)
  })

  it('refuses and logs requests from any other page without reaching the service', async () => {
    await expect(invoke({ senderFrame: { url: 'https://evil.example/' }, senderId: 1 }, { t: 'req', id: 1, method: 'app.info' })).rejects.toThrow(/Refused/)
    await expect(invoke({ senderFrame: null, senderId: 1 }, { t: 'req', id: 2, method: 'app.info' })).rejects.toThrow(/Refused/)
    expect(calls).toHaveLength(0)
    expect(logs.join('\n')).toContain('evil.example')
  })

  it('answers malformed frames with BAD_REQUEST', async () => {
    const res = await invoke({ senderFrame: { url: 'app://mqtts/' }, senderId: 1 }, { id: 3, method: 42 })
    expect(res).toMatchObject({ t: 'res', id: 3, ok: false, error: { code: 'BAD_REQUEST' } })
    expect(calls).toHaveLength(0)
  })

  it('removes its handler when stopped', () => {
    stop()
    expect(handlers.has(IPC_REQUEST_CHANNEL)).toBe(false)
  })

  it('sends events to a live window and skips a destroyed one', () => {
    const sent: Array<[string, ServerFrame]> = []
    let destroyed = false
    const eventPeer = ipcEventPeer({ id: 4, isDestroyed: () => destroyed, send: (channel, frame) => void sent.push([channel, frame as ServerFrame]) })
    const frame: ServerFrame = { t: 'evt', name: 'profiles.changed', payload: [] }
    eventPeer.send(frame)
    destroyed = true
    eventPeer.send(frame)
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, frame]])
    expect(eventPeer.label).toBe('window:4')
  })
})
