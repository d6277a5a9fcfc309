/**
 * A small testssl for one broker, without an MQTT session: which TLS versions and ALPN
 * protocols it accepts, whether it asks for a client certificate, and the chain exactly as it
 * serves it. Every step is one short handshake bounded by `stepTimeoutMs`; progress is reported
 * per step. Handshakes go through a tap that keeps the bytes the broker sent, which the
 * handshake decoder reads (see handshake-decoder.ts).
 */
import { connect as netConnect, isIP, type Socket } from 'node:net'
import { Duplex } from 'node:stream'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
import type { ProbeProgress, ProbeResult, ProbeStep, TlsProbeParams, VerificationVerdict } from '../../api/tls'
import { notice, type Notice } from '../../api/notices'
import { verdictOf } from './capture'
import { chainFromSent } from './chain-report'
import { decodeServerFlight, type ServerFlight } from './handshake-decoder'

type Version = 'TLSv1.2' | 'TLSv1.3'

interface Attempt {
  ok: boolean
  error: string | null
  protocol: string | null
  cipher: string | null
  alpn: string | null
  flight: ServerFlight | null
  verdict: VerificationVerdict | null
}

/** Probes `params.host:port`. Never throws for a broker's refusal: that is a result. */
export async function probeTls(params: TlsProbeParams, onProgress?: (p: Omit<ProbeProgress, 'probeId'>) => void): Promise<ProbeResult> {
  const started = Date.now()
  const steps = 2 + params.alpn.length
  let done = 0
  const progress = (step: ProbeStep, said: Notice) => onProgress?.({ step, fraction: Math.min(1, done / steps), message: said.message, notice: said })
  const result: ProbeResult = {
    host: params.host,
    port: params.port,
    servername: sniFor(params),
    versions: [],
    alpn: [],
    requestsClientCert: null,
    chain: null,
    verdict: null,
    errors: [],
    durationMs: 0,
  }
  let best: Attempt | null = null
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    progress('versions', notice('PROBE_TRYING_VERSION', `Trying ${version}…`, { version }))
    const a = await handshake(params, { version })
    done++
    // The broker accepted the version when its ServerHello chose it, even if it then refused us
    // for another reason (e.g. no client certificate).
    result.versions.push({ version, accepted: a.ok || a.flight?.version === version, cipher: a.cipher, error: a.error })
    // Prefer a flight we could read fully; a TLS 1.2 one needs no secrets at all.
    if (a.flight && a.flight.certificates.length && (!best || !best.flight?.certificates.length || (best.flight.certificateRequested === null && a.flight.certificateRequested !== null))) best = a
  }
  for (const protocol of params.alpn) {
    progress('alpn', notice('PROBE_OFFERING_ALPN', `Offering ALPN "${protocol}"…`, { protocol }))
    const a = await handshake(params, { alpn: protocol })
    done++
    result.alpn.push({ protocol, accepted: a.alpn === protocol })
  }
  progress('client-cert', notice('PROBE_CLIENT_CERT', 'Checking whether the broker asks for a client certificate…'))
  result.requestsClientCert = best?.flight?.certificateRequested ?? null
  progress('chain', notice('PROBE_CHAIN', 'Reading the certificate chain…'))
  if (best?.flight) {
    result.chain = chainFromSent(best.flight.certificates, { trustAnchors: params.ca.length ? params.ca : null, checkedName: params.servername || params.host })
    result.verdict = best.verdict
  }
  if (!result.versions.some((v) => v.accepted) && !best) result.errors.push(result.versions.map((v) => `${v.version}: ${v.error}`).join('; '))
  result.durationMs = Date.now() - started
  onProgress?.({ step: 'chain', fraction: 1, message: 'Done', notice: notice('PROBE_DONE', 'Done') })
  return result
}

function sniFor(params: TlsProbeParams): string | null {
  const name = params.servername || params.host
  return isIP(name) ? null : name
}

/** One handshake through a tap; resolves with what it saw, whatever happens. */
function handshake(params: TlsProbeParams, opts: { version?: Version; alpn?: string }): Promise<Attempt> {
  return new Promise((resolve) => {
    const raw = netConnect({ host: params.host, port: params.port })
    const tap = new TapStream(raw)
    const keyLog: string[] = []
    const servername = sniFor(params)
    const socket: TLSSocket = tlsConnect({
      socket: tap,
      ...(servername ? { servername } : {}),
      rejectUnauthorized: false,
      ...(params.ca.length ? { ca: params.ca } : {}),
      ...(opts.version ? { minVersion: opts.version, maxVersion: opts.version } : {}),
      ...(opts.alpn ? { ALPNProtocols: [opts.alpn] } : {}),
    })
    socket.on('keylog', (line: Buffer) => keyLog.push(line.toString('latin1')))
    let settled = false
    const finish = (ok: boolean, error: string | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      const attempt: Attempt = { ok, error, protocol: null, cipher: null, alpn: null, flight: null, verdict: null }
      if (ok) {
        attempt.protocol = socket.getProtocol()
        attempt.cipher = socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? null
        attempt.alpn = typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null
        const peer = socket.getPeerCertificate(true)
        attempt.verdict = peer?.raw ? verdictOf(socket, peer, params.servername || params.host, false) : null
      }
      socket.destroy()
      try {
        attempt.flight = decodeServerFlight(tap.received(), keyLog)
      } catch {
        attempt.flight = null
      }
      resolve(attempt)
    }
    socket.once('secureConnect', () => finish(true, null))
    socket.once('error', (err: Error & { code?: string }) => finish(false, err.code ?? err.message))
    socket.once('close', () => finish(false, 'closed by the broker'))
    const timer = setTimeout(() => finish(false, `no answer within ${params.stepTimeoutMs} ms`), params.stepTimeoutMs)
  })
}

/** A pass-through stream that keeps a copy of the first bytes the broker sends. */
class TapStream extends Duplex {
  private readonly chunks: Buffer[] = []
  private size = 0

  constructor(private readonly raw: Socket) {
    super()
    raw.on('data', (d: Buffer) => {
      // The handshake fits in far less; never let a misbehaving server grow this.
      if (this.size < 256 * 1024) {
        this.chunks.push(d)
        this.size += d.length
      }
      if (!this.push(d)) raw.pause()
    })
    raw.on('end', () => this.push(null))
    raw.on('error', (e) => this.destroy(e))
    raw.on('close', () => this.destroy())
  }

  received(): Buffer {
    return Buffer.concat(this.chunks)
  }

  override _read(): void {
    this.raw.resume()
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.raw.write(chunk, cb)
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.raw.end()
    cb()
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.raw.destroy()
    cb(err)
  }
}
