/**
 * The Content-Security-Policy both shells send: Electron on every app:// response, browser mode
 * on every HTTP response (with its WebSocket origins added to connect-src). No 'unsafe-eval' and
 * no remote origins: the app works offline and a payload rendered by mistake cannot run script.
 * Inline styles stay allowed because Vue and the editor set style attributes.
 */
export function buildCsp(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
