/**
 * The entry of the bench's role processes (publisher, reference subscriber, ours; roles.ts),
 * bundled on its own (build/scripts/bench.mjs) as open-recording's child is: run from the whole
 * bench bundle, each role also loaded the bench's tools (playwright-core alone is some 85 MB of
 * RSS), and scale-1m's "main side" peak counted them as the engine's. Here the main side's whole
 * module graph is loaded, as the app loads it (createBackend is what both shells start), though
 * only the engine's connections, tree and recorder run. Both subscribers load the same, so
 * their memory rows still compare like with like.
 */
import { createBackend } from '../../electron/host/backend'
import { runRole, type RoleConfig } from './roles'

// Referenced, so the bundler keeps the backend's modules (and their packages) in the child.
if (typeof createBackend !== 'function') throw new Error('bench role: the backend did not load')

const config = process.env.BENCH_ROLE
if (!config) throw new Error('bench role: BENCH_ROLE is not set')
runRole(JSON.parse(config) as RoleConfig).catch((err) => {
  console.error(err)
  process.exit(1)
})
