/**
 * OCSP stapling: `openssl s_server` staples a response made by `openssl ocsp`; the capture must
 * report the status openssl itself reads from that response.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/mosquitto'
import { connectCaptured } from './tls-peers'

const run = promisify(execFile)
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-ocsp-'))
  const o = (...args: string[]) => run('openssl', args, { cwd: dir })
  await o('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=OCSP Test CA', '-days', '2')
  await o('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 's.key', '-out', 's.csr', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost')
  await o('x509', '-req', '-in', 's.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 's.crt', '-days', '1', '-copy_extensions', 'copy')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function ocspResponse(status: 'V' | 'R', name: string): Promise<{ path: string; opensslStatus: string }> {
  const serial = (await run('openssl', ['x509', '-in', 's.crt', '-noout', '-serial'], { cwd: dir })).stdout.trim().split('=')[1]
  await writeFile(join(dir, `${name}.idx`), `${status}\t301231000000Z\t${status === 'R' ? '250101000000Z' : ''}\t${serial}\tunknown\t/CN=localhost\n`)
  const path = join(dir, `${name}.der`)
  await run('openssl', ['ocsp', '-index', `${name}.idx`, '-rsigner', 'ca.crt', '-rkey', 'ca.key', '-CA', 'ca.crt', '-issuer', 'ca.crt', '-cert', 's.crt', '-respout', path, '-ndays', '1'], { cwd: dir })
  const text = (await run('openssl', ['ocsp', '-respin', path, '-resp_text', '-noverify'], { cwd: dir })).stdout
  return { path, opensslStatus: /Cert Status: (\w+)/.exec(text)![1] }
}

async function sServer(statusFile: string): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort()
  const proc = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', 's.crt', '-key', 's.key', '-status_file', statusFile, '-quiet'], { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] })
  // Ready once the port accepts TCP.
  for (;;) {
    if (proc.exitCode !== null) throw new Error('openssl s_server exited while starting')
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (open) return { port, proc }
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('OCSP stapling', () => {
  for (const status of ['V', 'R'] as const) {
    it(`reports the stapled status openssl reads (${status === 'V' ? 'good' : 'revoked'})`, async () => {
      const resp = await ocspResponse(status, status)
      const server = await sServer(resp.path)
      try {
        const { report, socket } = await connectCaptured(server.port, { ca: [await readFile(join(dir, 'ca.crt'), 'utf8')] })
        socket.destroy()
        expect(report.ocsp).toMatchObject({ requested: true, stapled: true, responseStatus: 'successful', certStatus: resp.opensslStatus })
        expect(Date.parse(report.ocsp.nextUpdate!)).toBeGreaterThan(Date.parse(report.ocsp.thisUpdate!))
      } finally {
        server.proc.kill()
      }
    })
  }
})
