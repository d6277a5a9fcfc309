/**
 * Test helpers for the TLS inspector suites: `openssl s_client` as an independent peer, a
 * TLS 1.2-only mosquitto (its `tls_version` is a minimum, so the maximum comes from an OpenSSL
 * config), and a plain tls.connect wired to the capture the way the connection engine will be.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { captureTlsSession, type CaptureContext, type CaptureHooks, type TlsCapture } from '../../electron/core/tls/capture'
import type { TlsSessionReport } from '../../electron/api/tls'
import { startMosquitto, type MosquittoBroker, type MosquittoOptions } from '../fixtures/mosquitto'

/** What openssl s_client saw. */
export interface SClientResult {
  protocol: string | null
  cipher: string | null
  /** Subjects of the certificates the server sent, as "s:" lines, leaf first. */
  sentSubjects: string[]
  verifyCode: number | null
  verifyText: string | null
  output: string
}

/** Node's own cipher preference, split for s_client, so the broker picks the same suite for both. */
function nodeCipherArgs(): string[] {
  const all = tls.DEFAULT_CIPHERS.split(':')
  return ['-ciphersuites', all.filter((c) => c.startsWith('TLS_')).join(':'), '-cipher', all.filter((c) => !c.startsWith('TLS_')).join(':')]
}

export function sClient(port: number, opts: { servername: string; caFile: string; cert?: string; key?: string; extra?: string[] }): Promise<SClientResult> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', opts.servername, '-CAfile', opts.caFile, '-verify_hostname', opts.servername, ...nodeCipherArgs()]
  if (opts.cert && opts.key) args.push('-cert', opts.cert, '-key', opts.key)
  if (opts.extra) args.push(...opts.extra)
  return new Promise((resolve, reject) => {
    const env = { ...process.env }
    delete env.OPENSSL_CONF
    const child = spawn('openssl', args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', reject)
    child.on('close', () => {
      const proto = /New, (TLSv1\.[23]), Cipher is (\S+)/.exec(output)
      const verify = /Verify return code: (\d+) \(([^)]*)\)/.exec(output)
      resolve({
        protocol: proto?.[1] ?? null,
        cipher: proto?.[2] ?? null,
        sentSubjects: [...output.matchAll(/^\s*\d+ s:(.*)$/gm)].map((m) => m[1].trim()),
        verifyCode: verify ? Number(verify[1]) : null,
        verifyText: verify?.[2] ?? null,
        output,
      })
    })
    child.stdin.end()
  })
}

/** "O = X, CN = Y" (openssl) and "CN=Y, O=X" (ours) → "Y". */
export function cnOf(subject: string): string {
  return /CN ?= ?([^,]+)/.exec(subject)?.[1].trim() ?? subject
}

/** Starts mosquitto whose OpenSSL refuses anything above TLS 1.2. */
export async function startMosquittoTls12Only(options: MosquittoOptions): Promise<MosquittoBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-openssl-conf-'))
  const conf = join(dir, 'openssl.cnf')
  await writeFile(conf, ['openssl_conf = default_conf', '[default_conf]', 'ssl_conf = ssl_sect', '[ssl_sect]', 'system_default = system_default_sect', '[system_default_sect]', 'MaxProtocol = TLSv1.2', ''].join('\n'))
  const previous = process.env.OPENSSL_CONF
  process.env.OPENSSL_CONF = conf
  try {
    const broker = await startMosquitto(options)
    const stop = broker.stop
    return { ...broker, stop: async () => { await stop(); await rm(dir, { recursive: true, force: true }) } }
  } finally {
    if (previous === undefined) delete process.env.OPENSSL_CONF
    else process.env.OPENSSL_CONF = previous
  }
}

export interface CapturedConnection {
  socket: tls.TLSSocket
  capture: TlsCapture
  report: TlsSessionReport
}

/** tls.connect to 127.0.0.1:port exactly as the engine does (rejectUnauthorized:false), captured. */
export async function connectCaptured(
  port: number,
  opts: { ca: string[]; servername?: string; cert?: string; key?: string; alpn?: string[]; writeFirst?: Buffer; connectionId?: string; verify?: boolean } & Pick<tls.ConnectionOptions, 'minVersion' | 'maxVersion'>,
  hooks: CaptureHooks = {},
): Promise<CapturedConnection> {
  const servername = opts.servername ?? 'localhost'
  // requestOCSP is honoured by tls.connect but missing from @types/node's ConnectionOptions.
  const options: tls.ConnectionOptions & { requestOCSP?: boolean } = {
    host: '127.0.0.1',
    port,
    servername,
    ca: opts.ca,
    rejectUnauthorized: false,
    requestOCSP: true,
    ...(opts.cert && opts.key ? { cert: opts.cert, key: opts.key } : {}),
    ...(opts.alpn ? { ALPNProtocols: opts.alpn } : {}),
    ...(opts.minVersion ? { minVersion: opts.minVersion } : {}),
    ...(opts.maxVersion ? { maxVersion: opts.maxVersion } : {}),
  }
  const socket = tls.connect(options)
  const ctx: CaptureContext = {
    connectionId: opts.connectionId ?? 'test-connection',
    attempt: 1,
    host: '127.0.0.1',
    port,
    servername,
    alpnOffered: opts.alpn ?? [],
    caUsed: opts.ca,
    verify: opts.verify ?? true,
    ocspRequested: true,
    clientCertPresented: !!opts.cert,
  }
  const capture = captureTlsSession(socket, ctx, hooks)
  socket.on('error', () => undefined)
  if (opts.writeFirst) socket.write(opts.writeFirst)
  const report = await capture.done
  return { socket, capture, report }
}
