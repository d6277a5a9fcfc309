// Before/after figures for issue 9 item 3: how long one hostile request keeps browser mode from
// answering (a second socket pings every 10 ms; the longest silence is the stall) and the
// backend's RSS. Needs `npm run build`. Usage (from the repository root): node test/bench/hostile-requests.mjs [case filter]
// (TIMEOUT_MS raises the 60 s wait per case). Figures only: nothing here is asserted.
import { spawn } from 'node:child_process'
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { MAIN_V8_FLAGS } from '../../build/scripts/launch-helpers.mjs'

const status = (pid) => Object.fromEntries(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').filter((l) => /^Vm(RSS|HWM)/.test(l)).map((l) => [l.split(':')[0], Math.round(parseInt(l.split(/\s+/)[1]) / 1024)]))

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'measure-'))
  const child = spawn(process.execPath, [...MAIN_V8_FLAGS, 'out/main/web.js', '--port', '0', '--data-dir', dir, '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stderr.on('data', (d) => process.stderr.write('[app] ' + d))
  const line = await new Promise((done) => { let s = ''; child.stdout.on('data', (d) => { s += d; if (s.includes('\n')) done(s.split('\n')[0]) }) })
  const m = /127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/.exec(line)
  return { child, dir, port: Number(m[1]), token: m[2] }
}

async function client(app) {
  const ws = new WebSocket(`ws://127.0.0.1:${app.port}/rpc`, { headers: { Cookie: `mqtts_token_${app.port}=${app.token}`, Origin: `http://127.0.0.1:${app.port}` }, maxPayload: 1e9 })
  await new Promise((d, f) => { ws.once('open', d); ws.once('error', f) })
  const pending = new Map()
  ws.on('message', (data) => { const f = JSON.parse(data.toString()); if (f.t === 'res') pending.get(f.id)?.(f) })
  ws.on('close', (c) => { for (const p of pending.values()) p({ closed: c }) })
  let id = 1
  return { ws, sendText(method, text) { const i = id++; return new Promise((d) => { pending.set(i, d); ws.send(`{"t":"req","id":${i},"method":"${method}","params":${text}}`) }) } }
}

const spec = (extra) => `{"spec":{"name":"x","host":"h","port":1${extra}}}`
const cases = {
  'alpn 4,000,000 numbers': () => spec(`,"tls":{"alpn":[${'1,'.repeat(3_999_999)}1]}`),
  'alpn 8,000,000 numbers': () => spec(`,"tls":{"alpn":[${'1,'.repeat(7_999_999)}1]}`),
  '200,000 subscriptions': () => spec(`,"subscriptions":[${Array.from({ length: 200_000 }, (_, i) => `{"filter":"t/${i}"}`).join(',')}]`),
  'userProperties 1,000,000 keys': () => spec(`,"will":{"topic":"w","properties":{"userProperties":{${Array.from({ length: 1_000_000 }, (_, i) => `"k${i}":"v"`).join(',')}}}}`),
}
const only = process.argv[2]
for (const [name, make] of Object.entries(cases)) {
  if (only && !name.includes(only)) continue
  const app = await start()
  try {
    const c = await client(app)
    const text = make()
    const before = status(app.child.pid)
    // A side channel that pings every 10 ms: the longest silence is how long the loop was blocked.
    const side = await client(app)
    let last = performance.now(), worst = 0, stop = false
    ;(async () => { while (!stop) { await side.sendText('app.info', '{}'); const n = performance.now(); worst = Math.max(worst, n - last); last = n; await new Promise((d) => setTimeout(d, 10)) } })()
    await new Promise((d) => setTimeout(d, 200))
    worst = 0; last = performance.now()
    const t0 = performance.now()
    const bad = c.sendText('profiles.create', text)
    const ping = c.sendText('app.info', '{}')
    const timeout = new Promise((d) => setTimeout(() => d({ timeout: true }), Number(process.env.TIMEOUT_MS ?? 60_000)))
    const res = await Promise.race([bad, timeout])
    const t1 = performance.now()
    const p = await Promise.race([ping, timeout])
    const t2 = performance.now()
    stop = true
    worst = Math.max(worst, performance.now() - last)
    const after = app.child.exitCode === null ? status(app.child.pid) : { exited: app.child.exitCode }
    console.log(JSON.stringify({ case: name, frameMB: (text.length / 1e6).toFixed(1), answerMs: Math.round(t1 - t0), pingMs: Math.round(t2 - t0), longestStallMs: Math.round(worst), before, after, answer: res.ok === false ? `${res.error.code}: ${res.error.message.slice(0, 200)}` : res.ok ? 'accepted' : JSON.stringify(res).slice(0, 200), ping: p.ok ? 'answered' : JSON.stringify(p).slice(0, 100) }))
  } finally {
    // A case that throws must not leave the backend running or its data folder behind.
    app.child.kill('SIGKILL')
    rmSync(app.dir, { recursive: true, force: true })
  }
}
process.exit(0)
