/**
 * Browser mode's WebSocket channel without a browser: a fake WebSocket the test opens and
 * closes, and a probe whose verdict the test picks. What must hold: a backend that is down is
 * retried, one that refuses this tab's token stops the retrying and answers every request.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createWebSocketChannel, PROBE_TIMEOUT_MS, probeOrigin, refusedMessage, type AccessProbe, type ChannelStatus } from '../../renderer/src/api/ws-channel'

class FakeSocket {
  static OPEN = 1
  static all: FakeSocket[] = []
  readyState = 0
  sent: string[] = []
  onopen: (() => void) | null = null
  onclose: (() => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(text: string): void {
    this.sent.push(text)
  }
  open(): void {
    this.readyState = FakeSocket.OPEN
    this.onopen?.()
  }
  fail(): void {
    this.readyState = 3
    this.onclose?.()
  }
}

const URL_ = 'ws://127.0.0.1:8848/rpc'
const last = () => FakeSocket.all[FakeSocket.all.length - 1]
/** Lets the probe's promise settle, then runs the retry timer if one is due. */
async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

beforeEach(() => {
  FakeSocket.all = []
  vi.useFakeTimers()
  vi.stubGlobal('WebSocket', FakeSocket)
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('the browser-mode channel', () => {
  it('keeps retrying while the backend does not answer at all', async () => {
    const probe = vi.fn(async (): Promise<AccessProbe> => 'down')
    const channel = createWebSocketChannel(URL_, { probe })
    last().open()
    last().fail()
    expect(channel.status).toBe('lost')
    await settle(0)
    // A working socket that dropped is retried without asking first.
    expect(probe).not.toHaveBeenCalled()
    await settle(300)
    expect(FakeSocket.all).toHaveLength(2)
    last().fail()
    await settle(5000)
    expect(probe).toHaveBeenCalledTimes(1)
    expect(FakeSocket.all).toHaveLength(3)
    expect(channel.status).toBe('lost')
  })

  it('stops once the backend refuses this tab, and answers waiting and new requests with what to do', async () => {
    let verdict: AccessProbe = 'down'
    const statuses: ChannelStatus[] = []
    const channel = createWebSocketChannel(URL_, { probe: async () => verdict })
    channel.onStatus((s) => statuses.push(s))
    last().open()
    last().fail()
    const waiting = channel.request('app.info', undefined)
    verdict = 'refused'
    await settle(300)
    last().fail()
    await settle(0)
    expect(channel.status).toBe('refused')
    expect(statuses).toEqual(['open', 'lost', 'refused'])
    const expected = { ok: false, error: { code: 'TRANSPORT_CLOSED', message: refusedMessage('http://127.0.0.1:8848') } }
    expect(await waiting).toMatchObject(expected)
    expect(await channel.request('connections.list', undefined)).toMatchObject(expected)
    const sockets = FakeSocket.all.length
    await settle(60_000)
    expect(FakeSocket.all).toHaveLength(sockets)
  })

  it('opens again when asked to recheck and the probe now lets this tab in', async () => {
    let verdict: AccessProbe = 'refused'
    let recheck = () => {}
    const reconnects: boolean[] = []
    const channel = createWebSocketChannel(URL_, { probe: async () => verdict, onRecheck: (r) => (recheck = r) })
    channel.onStatus((s, reconnected) => s === 'open' && reconnects.push(reconnected))
    last().open()
    last().fail()
    await settle(300)
    last().fail()
    await settle(0)
    expect(channel.status).toBe('refused')
    const sockets = FakeSocket.all.length
    recheck()
    await settle(0)
    expect(FakeSocket.all).toHaveLength(sockets)
    verdict = 'ok'
    recheck()
    await settle(0)
    expect(FakeSocket.all).toHaveLength(sockets + 1)
    last().open()
    expect(channel.status).toBe('open')
    expect(reconnects).toEqual([false, true])
  })
})

describe('probing the page origin', () => {
  it('tells a refused token (401, 403) and a foreign server (404, 421) from an answer and from silence', async () => {
    const answer = (status: number) => vi.stubGlobal('fetch', vi.fn(async () => ({ status }) as Response))
    for (const status of [401, 403, 404, 421]) {
      answer(status)
      expect(await probeOrigin('http://127.0.0.1:8848'), String(status)).toBe('refused')
    }
    answer(200)
    expect(await probeOrigin('http://127.0.0.1:8848')).toBe('ok')
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    expect(await probeOrigin('http://127.0.0.1:8848')).toBe('down')
  })

  it('gives up on a backend that accepts the connection but never answers, so the retrying goes on', async () => {
    // Like a real fetch: it settles only when its signal aborts.
    const silent = vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    )
    vi.stubGlobal('fetch', silent)
    let verdict: AccessProbe | undefined
    void probeOrigin('http://127.0.0.1:8848').then((v) => (verdict = v))
    await settle(PROBE_TIMEOUT_MS)
    expect(verdict).toBe('down')
  })

  it('asks with HEAD, uncached, carrying the page cookie', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => ({ status: 200 }) as Response)
    vi.stubGlobal('fetch', fetchMock)
    await probeOrigin('http://127.0.0.1:8848')
    expect(fetchMock).toHaveBeenCalledWith('http://127.0.0.1:8848/', expect.objectContaining({ method: 'HEAD', cache: 'no-store', credentials: 'same-origin' }))
  })
})
