/**
 * Where the encoder thread's code is, for every way the main side runs (see README, "Encoder thread"):
 * - built: a file named `recording-worker.js` or `.mjs` in this code's folder or the one above it.
 *   electron-vite puts it in out/main/ beside index.js and web.js, whose shared code (this module
 *   among it) sits in out/main/chunks/; the bench and the crash test bundle it beside their own file.
 * - from sources (Vitest runs electron/ as TypeScript, and a worker thread is plain Node):
 *   `worker-bootstrap.mjs` beside this file compiles recording-worker.ts with esbuild and runs it.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const BUILT = ['./recording-worker.js', './recording-worker.mjs', '../recording-worker.js', '../recording-worker.mjs']
const BOOTSTRAP = './worker-bootstrap.mjs'

/** This module's URL: `import.meta.url` in ESM (built or sources), `__filename` in a CommonJS bundle. */
function here(): string {
  const url = (import.meta as { url?: string }).url
  if (typeof url === 'string' && url !== '') return url
  if (typeof __filename === 'string') return pathToFileURL(__filename).href
  throw new Error('cannot tell where the recorder code is loaded from')
}

/** The encoder thread's entry for code loaded from `from`; throws with the places it looked when there is none. */
export function recordingWorkerFile(from: string = here()): URL {
  const fromSources = /\.[cm]?ts$/.test(new URL(from).pathname)
  const candidates = (fromSources ? [BOOTSTRAP] : BUILT).map((name) => new URL(name, from))
  const found = candidates.find((url) => existsSync(fileURLToPath(url)))
  if (found) return found
  throw new Error(`its code is not where it should be (${candidates.map((url) => fileURLToPath(url)).join(', ')})`)
}
