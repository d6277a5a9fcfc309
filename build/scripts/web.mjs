#!/usr/bin/env node
// `npm run web -- [--port N] [--data-dir DIR] [--no-open]`: builds if needed, then runs browser
// mode. Its stdout passes through untouched, so the only stdout line is the app's address.
import { ensureBuilt, runBrowserMode } from './launch-helpers.mjs'

ensureBuilt()
process.exitCode = await runBrowserMode(process.argv.slice(2))
