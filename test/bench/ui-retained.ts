/**
 * `ui-retained-100k`: what a user waits for. mosquitto holds 100,000 retained topics; the built
 * app in browser mode shows a profile for it; inside the page we click its Connect button and
 * count animation frames until the tree's footer shows all 100,000 topics. The reference is
 * `mosquitto_sub -C 100000 -t '#'` (a client we did not write) on the same broker in the same
 * run, timed from its spawn to its exit, so it pays its own TLS handshake as the app does.
 * Rounds alternate (ref, ours, ours, ref, ref, ours), each alone on the broker, and each side's
 * times are averaged, as retained-100k does; every round of ours is a fresh app and page, so the
 * tree starts empty.
 */
import { spawn } from 'node:child_process'
import mqtt from 'mqtt'
import type { Page } from 'playwright-core'
import type { MethodParams } from '../../electron/api'
import { launchBrowser } from '../fixtures/browser'
import { startMosquitto } from '../fixtures/mosquitto'
import type { TestPki } from '../fixtures/pki'
import { startWebApp, type WebApp } from '../fixtures/web-app'
import { jsonPayload, retainedTopic } from './load'
import { ratioRow, valueRow, type ResultRow } from './report'
import { rpc } from './ui-harness'

const TOPICS = 100_000
const PROFILE = 'Retained bench'
const ROUND_TIMEOUT_MS = 120_000

/** Publishes the retained topics; the last one at QoS 1, so its PUBACK means mosquitto holds them all. */
async function seed(port: number, caPem: string): Promise<void> {
  const client = await mqtt.connectAsync({ protocol: 'mqtts', host: '127.0.0.1', port, ca: caPem, servername: 'localhost', protocolVersion: 5, clientId: `ui-retained-seed-${process.pid}`, reconnectPeriod: 0 })
  try {
    for (let i = 0; i < TOPICS - 1; i++) {
      client.publish(retainedTopic(i), jsonPayload(i), { qos: 0, retain: true })
      // Let the socket drain now and then instead of buffering 100,000 packets at once.
      if (i % 5000 === 4999) await new Promise((r) => setImmediate(r))
    }
    await client.publishAsync(retainedTopic(TOPICS - 1), jsonPayload(TOPICS - 1), { qos: 1, retain: true })
  } finally {
    await client.endAsync()
  }
}

/** ms from spawning mosquitto_sub until it exits after its 100,000th message. */
function mosquittoSub(port: number, caPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now()
    const child = spawn('mosquitto_sub', ['-h', 'localhost', '-p', String(port), '--cafile', caPath, '-V', '5', '-q', '0', '-C', String(TOPICS), '-t', '#', '-i', `ui-retained-ref-${process.pid}`], { stdio: ['ignore', 'ignore', 'inherit'] })
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`mosquitto_sub did not receive ${TOPICS} messages within ${ROUND_TIMEOUT_MS} ms`))
    }, ROUND_TIMEOUT_MS)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(performance.now() - startedAt)
      else reject(new Error(`mosquitto_sub exited with ${code}`))
    })
  })
}

/**
 * In the page: clicks Connect on the profile and polls the tree's footer every animation frame
 * until it reads `topics` topics; ms from the click, or null (with what it read) at the deadline.
 */
function clickConnectAndCount({ profile, topics, timeoutMs }: { profile: string; topics: number; timeoutMs: number }): Promise<{ ms: number | null; shown: number; clickedAt: number }> {
  const button = document.querySelector<HTMLButtonElement>(`button[aria-label="Connect ${profile}"]`)
  if (!button) throw new Error(`no Connect button for ${profile}`)
  const read = () => {
    const m = /([\d,]+)\s*topics/.exec(document.querySelector('[aria-label="Tree totals"]')?.textContent ?? '')
    return m ? Number(m[1].replace(/,/g, '')) : 0
  }
  return new Promise((resolve) => {
    const t0 = performance.now()
    const clickedAt = Date.now()
    const check = () => {
      const shown = read()
      if (shown >= topics) return resolve({ ms: performance.now() - t0, shown, clickedAt })
      if (performance.now() - t0 > timeoutMs) return resolve({ ms: null, shown, clickedAt })
      requestAnimationFrame(check)
    }
    button.click()
    requestAnimationFrame(check)
  })
}

/** Epoch ms at which the app's main side first reports `n` messages on some connection (connections.list), or null. */
async function mainSideCount(app: WebApp, n: number, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const states = await rpc(app, 'connections.list', undefined as never).catch(() => [])
    if (states.some((s) => (s.messageCount ?? 0) >= n)) return Date.now()
    await new Promise((r) => setTimeout(r, 50))
  }
  return null
}

export async function uiRetained100k(pki: TestPki): Promise<ResultRow[]> {
  const broker = await startMosquitto({
    listeners: [{ tls: { cafile: pki.root.cert.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }],
    extra: ['log_type error', 'max_queued_messages 0', 'max_queued_bytes 0'],
  })
  const browser = await launchBrowser({ viewport: { width: 1366, height: 860 } })
  const ours: number[] = []
  const refs: number[] = []
  const mainMs: number[] = []
  let lost = 0
  try {
    await seed(broker.port, pki.root.cert.pem)
    // BENCH_UI_RETAINED_ROUNDS=ref,ours runs fewer rounds (e.g. to profile one).
    const rounds = (process.env.BENCH_UI_RETAINED_ROUNDS ?? 'ref,ours,ours,ref,ref,ours').split(',') as ('ref' | 'ours')[]
    for (const side of rounds) {
      if (side === 'ref') {
        refs.push(await mosquittoSub(broker.port, pki.root.cert.path))
        continue
      }
      const app = await startWebApp()
      let page: Page | null = null
      try {
        await rpc(app, 'profiles.create', {
          spec: {
            name: PROFILE,
            scheme: 'mqtts',
            host: '127.0.0.1',
            port: broker.port,
            protocolVersion: 5,
            subscriptions: [{ filter: '#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 }],
            reconnect: { enabled: false },
            tls: { ca: [{ name: 'bench-ca.pem', pem: pki.root.cert.pem }], useSystemRoots: false, servername: 'localhost' },
          } as MethodParams<'profiles.create'>['spec'],
        })
        page = await browser.open(app.url)
        await page.getByRole('button', { name: `Connect ${PROFILE}`, exact: true }).waitFor({ timeout: 30_000 })
        const mainHadAll = mainSideCount(app, TOPICS, ROUND_TIMEOUT_MS)
        const round = await page.evaluate(clickConnectAndCount, { profile: PROFILE, topics: TOPICS, timeoutMs: ROUND_TIMEOUT_MS })
        const mainAt = await mainHadAll
        if (mainAt !== null) mainMs.push(mainAt - round.clickedAt)
        if (round.ms === null) throw new Error(`ui-retained-100k: the tree showed ${round.shown} of ${TOPICS} topics`)
        lost = Math.max(lost, TOPICS - round.shown)
        ours.push(round.ms)
        if (ours.length === 1) await page.screenshot({ path: '/tmp/mqtts-bench-ui-retained-100k.png' })
      } finally {
        await page?.close().catch(() => {})
        await app.stop()
      }
    }
  } finally {
    await browser.close()
    await broker.stop()
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  return [
    ratioRow('ui-retained-100k', `click Connect to the tree showing all topics (mean of ${ours.length}, vs mosquitto_sub -C)`, 'ms', mean(ours), mean(refs), 1.2, lost),
    valueRow('ui-retained-100k', 'click Connect to the main side holding all messages (mean; polled every 50 ms)', 'ms', mean(mainMs)),
    valueRow('ui-retained-100k', `rounds in ms, ours ${ours.map(Math.round).join('/')} ref ${refs.map(Math.round).join('/')}`, 'rounds', ours.length),
  ]
}
