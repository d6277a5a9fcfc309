/**
 * The entry of open-recording's child process, bundled on its own (build/scripts/bench.mjs), so
 * its RSS is the engine's: the bench's other tools (playwright-core, the broker fixtures, the UI
 * harness) are not loaded into it, as they were when the child ran the whole bench bundle
 * (+65 MB of RSS before a byte was read). The main side's whole module graph is loaded, as the
 * app loads it (createBackend is what both shells start), though only the offline engine runs.
 */
import { createBackend } from '../../electron/host/backend'
import { OPEN_RECORDING_CHILD, openRecordingChild } from './open-recording'

// Referenced, so the bundler keeps the backend's modules (and their packages) in the child.
if (typeof createBackend !== 'function') throw new Error('open-recording child: the backend did not load')

const config = process.env[OPEN_RECORDING_CHILD]
if (!config) throw new Error(`open-recording child: ${OPEN_RECORDING_CHILD} is not set`)
openRecordingChild(JSON.parse(config) as { dataDir: string; recordingId: string }).catch((err) => {
  console.error(err)
  process.exit(1)
})
