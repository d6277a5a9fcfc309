/**
 * Maps request paths onto files of the built renderer, for both shells (browser mode over HTTP,
 * Electron over app://). Pure path logic: it never lets a path leave the root and never touches
 * the file system, so the traversal guard is tested without a server.
 */
import { extname, resolve, sep } from 'node:path'

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
}

/** Content-Type for a file name; unknown kinds are served as opaque bytes (with nosniff set). */
export function mimeType(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** The file a route falls back to: the single-page app decides what an unknown path shows. */
export const INDEX_FILE = 'index.html'

export interface StaticTarget {
  /** Absolute path inside the root. */
  file: string
  /** True when the path looked like an app route (no extension), so index.html may stand in for it. */
  spaRoute: boolean
}

/**
 * Resolves a URL pathname (still percent-encoded, no query) to a file under `root`. Returns null
 * for anything that could escape the root or that no file name can have: bad percent-encoding,
 * NUL bytes, backslashes, `..` segments, or a result outside the root after resolution.
 */
export function resolveStaticPath(root: string, pathname: string): StaticTarget | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null
  const segments = decoded.split('/').filter((s) => s.length > 0)
  if (segments.some((s) => s === '..' || s === '.')) return null
  const base = resolve(root)
  const relative = segments.length === 0 ? INDEX_FILE : segments.join('/')
  const file = resolve(base, relative)
  if (file !== base && !file.startsWith(base + sep)) return null
  const last = segments.at(-1) ?? ''
  return { file, spaRoute: segments.length === 0 || extname(last) === '' }
}
