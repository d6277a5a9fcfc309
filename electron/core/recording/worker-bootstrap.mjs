// The recorder's encoder thread when the main side runs from its TypeScript sources (Vitest, or
// any TS runner): Vitest transforms electron/ for the test's own thread, but a worker thread is
// plain Node, which cannot load .ts. This compiles recording-worker.ts and what it imports into
// one temporary ESM file with esbuild (a dev dependency: a build never reaches this file, the
// built app starts out/main/recording-worker.js) and runs it here, in the worker.
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { threadId } from 'node:worker_threads'
import { build } from 'esbuild'

const entry = fileURLToPath(new URL('./recording-worker.ts', import.meta.url))
const outfile = join(tmpdir(), `mqtts-recording-worker-${process.pid}-${threadId}-${Date.now()}.mjs`)
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'inline', logLevel: 'silent' })
try {
  await import(pathToFileURL(outfile).href)
} finally {
  await rm(outfile, { force: true })
}
