/**
 * What the UI benchmark rows share: mosquitto over TLS with unbounded queues, the built app in
 * browser mode, Debian chromium on its page, a profile connected through the app's own RPC, a
 * paced publisher, and an in-page recorder of animation-frame intervals and long tasks.
 * Everything is measured inside the page (requestAnimationFrame, PerformanceObserver) or over
 * CDP (heap after a forced GC), so the numbers are the renderer's, not the driver's.
 */
import mqtt, { type MqttClient } from 'mqtt'
import type { Page } from 'playwright-core'
import WebSocket from 'ws'
import { WS_RPC_PATH, type MethodName, type MethodParams, type MethodResult, type ResponseFrame } from '../../electron/api'
import { launchBrowser, type TestBrowser } from '../fixtures/browser'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import type { TestPki } from '../fixtures/pki'
import { startWebApp, type WebApp } from '../fixtures/web-app'

export interface UiBench {
  broker: MosquittoBroker
  app: WebApp
  browser: TestBrowser
  page: Page
  /** A publisher on the broker (TLS), for the load. */
  publisher: MqttClient
  connectionId: string
  close(): Promise<void>
}

/** Calls one contract method over the app's WebSocket, authenticated like the page. */
export async function rpc<M extends MethodName>(app: WebApp, method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
  const ws = new WebSocket(`ws://127.0.0.1:${app.port}${WS_RPC_PATH}`, { headers: app.wsHeaders() })
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    const answer = new Promise<ResponseFrame>((resolve) =>
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as ResponseFrame | { t: 'evt' }
        if (frame.t === 'res') resolve(frame)
      }),
    )
    ws.send(JSON.stringify({ t: 'req', id: 1, method, params }))
    const frame = await answer
    if (!frame.ok) throw new Error(`${method}: ${frame.error.message}`)
    return frame.result as MethodResult<M>
  } finally {
    ws.close()
  }
}

/**
 * Polls the main side's message count for a connection (connections.list over one socket)
 * until it reaches `n`; resolves with the epoch ms it was first seen there, or null on timeout.
 * This separates the engine's catching up from the renderer's.
 */
export async function waitForMainCount(app: WebApp, connectionId: string, n: number, timeoutMs: number): Promise<number | null> {
  const ws = new WebSocket(`ws://127.0.0.1:${app.port}${WS_RPC_PATH}`, { headers: app.wsHeaders() })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const waiting = new Map<number, (frame: ResponseFrame) => void>()
  ws.on('message', (data) => {
    // This socket also gets every event the host broadcasts (message batches of tens of kB, many
    // a second). Parsing them would only take CPU from the app being measured on the shared cores.
    if (Buffer.isBuffer(data) && data.toString('latin1', 0, 10) === '{"t":"evt"') return
    const frame = JSON.parse(String(data)) as ResponseFrame | { t: 'evt' }
    if (frame.t === 'res') waiting.get(frame.id)?.(frame)
  })
  let id = 0
  const list = () =>
    new Promise<ResponseFrame>((resolve) => {
      waiting.set(++id, resolve)
      ws.send(JSON.stringify({ t: 'req', id, method: 'connections.list' }))
    })
  try {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const frame = await list()
      const states = frame.ok ? (frame.result as MethodResult<'connections.list'>) : []
      if ((states.find((s) => s.connectionId === connectionId)?.messageCount ?? 0) >= n) return Date.now()
      await new Promise((r) => setTimeout(r, 50))
    }
    return null
  } finally {
    ws.close()
  }
}

/** Broker, app, browser and one connected profile subscribed to `filter`. */
export async function startUiBench(pki: TestPki, filter: string): Promise<UiBench> {
  const broker = await startMosquitto({
    listeners: [{ tls: { cafile: pki.root.cert.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }],
    // Unbounded queues: mosquitto's defaults drop a burst for any subscriber that falls behind.
    extra: ['log_type error', 'max_queued_messages 0', 'max_queued_bytes 0'],
  })
  const app = await startWebApp()
  const browser = await launchBrowser({ viewport: { width: 1366, height: 860 } })
  const publisher = await mqtt.connectAsync({
    protocol: 'mqtts',
    host: '127.0.0.1',
    port: broker.port,
    ca: pki.root.cert.pem,
    servername: 'localhost',
    protocolVersion: 5,
    clientId: `ui-bench-pub-${process.pid}`,
    reconnectPeriod: 0,
  })
  const profile = await rpc(app, 'profiles.create', {
    spec: {
      name: 'UI bench',
      scheme: 'mqtts',
      host: '127.0.0.1',
      port: broker.port,
      protocolVersion: 5,
      subscriptions: [{ filter, qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0 }],
      reconnect: { enabled: false },
      tls: { ca: [{ name: 'bench-ca.pem', pem: pki.root.cert.pem }], useSystemRoots: false, servername: 'localhost' },
    } as MethodParams<'profiles.create'>['spec'],
  })
  const state = await rpc(app, 'connections.connect', { profileId: profile.id, secrets: {} })
  const page = await browser.open(app.url)
  await page.getByRole('tree').waitFor({ timeout: 30_000 })
  return {
    broker,
    app,
    browser,
    page,
    publisher,
    connectionId: state.connectionId,
    async close() {
      await publisher.endAsync().catch(() => {})
      await browser.close()
      await app.stop()
      await broker.stop()
    },
  }
}

/**
 * Publishes `count` QoS 0 messages at about `perSecond`, in slices every 10 ms; the last one is
 * QoS 1 so its PUBACK means the broker has all of them. Returns when that PUBACK arrived.
 */
export async function publishPaced(
  client: MqttClient,
  count: number,
  perSecond: number,
  message: (i: number) => [topic: string, payload: Buffer],
): Promise<{ startedAt: number; lastAt: number }> {
  const startedAt = Date.now()
  const sliceMs = 10
  let i = 0
  while (i < count) {
    const due = Math.min(count, Math.floor(((Date.now() - startedAt + sliceMs) * perSecond) / 1000))
    for (; i < due && i < count - 1; i++) {
      const [topic, payload] = message(i)
      client.publish(topic, payload, { qos: 0 })
    }
    if (i === count - 1) {
      const [topic, payload] = message(i)
      await client.publishAsync(topic, payload, { qos: 1 })
      i++
      break
    }
    await new Promise((r) => setTimeout(r, sliceMs))
  }
  return { startedAt, lastAt: Date.now() }
}

/** Installs the in-page recorder: rAF intervals and long tasks while `start()`…`stop()`. */
export async function installRecorder(page: Page): Promise<void> {
  await page.evaluate(() => {
    interface Recorder {
      frames: number[]
      longTasks: number[]
      running: boolean
      start(): void
      stop(): { frames: number[]; longTasks: number[] }
    }
    const w = window as unknown as { __uiBench?: Recorder }
    if (w.__uiBench) return
    const rec: Recorder = {
      frames: [],
      longTasks: [],
      running: false,
      start() {
        rec.frames = []
        rec.longTasks = []
        rec.running = true
        let last = performance.now()
        const tick = (t: number) => {
          if (!rec.running) return
          rec.frames.push(t - last)
          last = t
          requestAnimationFrame(tick)
        }
        requestAnimationFrame((t) => {
          last = t
          requestAnimationFrame(tick)
        })
      },
      stop() {
        rec.running = false
        return { frames: rec.frames, longTasks: rec.longTasks }
      },
    }
    new PerformanceObserver((list) => {
      if (!rec.running) return
      for (const entry of list.getEntries()) rec.longTasks.push(entry.duration)
    }).observe({ type: 'longtask', buffered: false })
    w.__uiBench = rec
  })
}

export async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __uiBench: { start(): void } }).__uiBench.start())
}

export async function stopRecording(page: Page): Promise<{ frames: number[]; longTasks: number[] }> {
  return page.evaluate(() => (window as unknown as { __uiBench: { stop(): { frames: number[]; longTasks: number[] } } }).__uiBench.stop())
}

/** The renderer's JS heap after a forced GC, in bytes (CDP). */
export async function rendererHeap(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('HeapProfiler.collectGarbage')
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
    return usage.usedSize
  } finally {
    await cdp.detach().catch(() => {})
  }
}

/** The message total the tree's footer shows. */
export async function treeTotal(page: Page): Promise<number> {
  const text = await page.getByLabel('Tree totals').innerText()
  const m = /([\d,]+) messages/.exec(text)
  return m ? Number(m[1].replace(/,/g, '')) : 0
}

/** Waits until the tree shows at least `n` messages (polling the page every animation frame). */
export function waitForTreeTotal(page: Page, n: number, timeoutMs: number): Promise<{ reachedAt: number | null; total: number }> {
  return waitForShownCount(page, 'Tree totals', '([\\d,]+)\\s*messages', n, timeoutMs)
}

/** Waits until the connection header's running total shows at least `n` messages. */
export function waitForHeaderTotal(page: Page, n: number, timeoutMs: number): Promise<{ reachedAt: number | null; total: number }> {
  return waitForShownCount(page, 'Totals', 'Messages\\s*([\\d,]+)', n, timeoutMs)
}

/**
 * Polls, every animation frame, the number that `pattern` (first group) reads in the element
 * labelled `label`, until it reaches `n`; `reachedAt` is the page's clock at that frame.
 */
async function waitForShownCount(page: Page, label: string, pattern: string, n: number, timeoutMs: number): Promise<{ reachedAt: number | null; total: number }> {
  return page.evaluate(
    ({ label, pattern, n, timeoutMs }) =>
      new Promise<{ reachedAt: number | null; total: number }>((resolve) => {
        const deadline = Date.now() + timeoutMs
        const re = new RegExp(pattern)
        const read = () => {
          const m = re.exec(document.querySelector(`[aria-label="${label}"]`)?.textContent ?? '')
          return m ? Number(m[1].replace(/,/g, '')) : 0
        }
        const check = () => {
          const total = read()
          if (total >= n) return resolve({ reachedAt: Date.now(), total })
          if (Date.now() > deadline) return resolve({ reachedAt: null, total })
          requestAnimationFrame(check)
        }
        check()
      }),
    { label, pattern, n, timeoutMs },
  )
}

/** The q-quantile (0..1) of `values`; NaN for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}
