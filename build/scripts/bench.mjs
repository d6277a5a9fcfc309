/**
 * `npm run bench`: bundles test/bench/run.ts and runs it with the arguments given. The role
 * processes and the open-recording child are bundles of their own next to it, so only the
 * engine is loaded in them, not the bench's tools; the
 * recorder's encoder thread goes beside both, where electron/core/recording/worker-file.ts
 * looks for it.
 */
import { resolve } from 'node:path'
import { bundleAndRun } from './bundle-run.mjs'
import { appRoot } from './launch-helpers.mjs'

process.exitCode = await bundleAndRun({
  cacheName: 'mqtts-bench',
  entries: {
    bench: 'test/bench/run.ts',
    'open-recording-child': 'test/bench/open-recording-child.ts',
    'role-child': 'test/bench/role-child.ts',
    'recording-worker': 'electron/core/recording/recording-worker.ts',
  },
  main: 'bench',
  nodeFlags: ['--expose-gc'],
  args: process.argv.slice(2),
  env: { BENCH_OUT_DIR: resolve(appRoot, 'test/bench') },
})
