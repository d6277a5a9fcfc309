/**
 * `npm run screenshots [-- out-dir]`: builds the app if needed, then takes the README's light and
 * dark screenshots from it in browser mode (test/screenshots/readme-screenshots.ts says which).
 */
import { bundleAndRun } from './bundle-run.mjs'
import { ensureBuilt } from './launch-helpers.mjs'

ensureBuilt()
process.exitCode = await bundleAndRun({
  cacheName: 'mqtts-screenshots',
  entries: { screenshots: 'test/screenshots/cli.ts' },
  main: 'screenshots',
  args: process.argv.slice(2),
})
