/**
 * The browser-mode host's gatekeeping rules as pure functions: the per-run token, the Host and
 * Origin checks, and the security headers (around the CSP both shells share, from host/). Kept
 * apart from the server so each rule is unit-tested on its own and the server stays a thin
 * sequence of "check, then serve".
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { buildCsp } from '../host/csp'

/** A fresh per-run secret: 32 random bytes as 64 hex characters. */
export function createToken(): string {
  return randomBytes(32).toString('hex')
}

/**
 * Compares a presented token with the real one in constant time. Both sides are hashed first so
 * that a wrong length takes as long as a wrong character (timingSafeEqual needs equal lengths).
 */
export function tokensEqual(presented: string | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 1024) return false
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** Parses a Cookie header into name → value (first occurrence wins, values not decoded). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  if (!header) return cookies
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (name && !cookies.has(name)) cookies.set(name, value)
  }
  return cookies
}

/** The Set-Cookie value that hands the token to the browser: script cannot read it, other sites never send it. */
export function tokenCookie(name: string, token: string): string {
  return `${name}=${token}; HttpOnly; SameSite=Strict; Path=/`
}

/** A request target without its query, for logs: the query may carry this run's token. */
export function pathForLog(url: string | undefined): string {
  return (url ?? '').split('?')[0].slice(0, 200)
}

/**
 * True when the Host header names this server by loopback address and exact port. Anything else
 * (a DNS name that resolves to 127.0.0.1, a missing header) may be a DNS-rebinding page.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false
  const h = host.toLowerCase()
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`
}

/**
 * How many Host headers a request carried. Node keeps only the first of duplicates in
 * `req.headers`, while a proxy or cache in front may act on another one: a request with more
 * than one is ambiguous about which server it names, so it is refused outright.
 */
export function hostHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === 'host') count++
  return count
}

/** True when a WebSocket's Origin is this very app; browsers always send it, so missing means "not our page". */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (!origin) return false
  const o = origin.toLowerCase()
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`
}

/** Headers every browser-mode response carries. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': buildCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  }
}
