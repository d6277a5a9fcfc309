/**
 * `npm run bench`: bundles test/bench/run.ts with esbuild (shipped with vite) into
 * node_modules/.cache so bare imports resolve, then runs it with the arguments given. The
 * open-recording child is its own bundle next to it, so only the engine is loaded in it.
 */
import { spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
// One bundle per checkout: worktrees that share node_modules must not run each other's code.
const outfile = resolve(root, 'node_modules/.cache/mqtts-bench', createHash('sha256').update(root).digest('hex').slice(0, 12), 'bench.mjs')
await mkdir(dirname(outfile), { recursive: true })
await build({
  // The recorder's encoder thread goes beside the bench (and the open-recording child), where
  // electron/core/recording/worker-file.ts looks for it.
  entryPoints: {
    bench: resolve(root, 'test/bench/run.ts'),
    'open-recording-child': resolve(root, 'test/bench/open-recording-child.ts'),
    'recording-worker': resolve(root, 'electron/core/recording/recording-worker.ts'),
  },
  outdir: dirname(outfile),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
})
const child = spawn(process.execPath, ['--expose-gc', '--enable-source-maps', outfile, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BENCH_OUT_DIR: resolve(root, 'test/bench') },
})
child.on('exit', (code) => process.exit(code ?? 1))
