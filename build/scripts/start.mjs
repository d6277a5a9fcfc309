#!/usr/bin/env node
// `npm start`: builds if needed, then opens the desktop app. When Electron's binary is missing
// (npm was told to skip it, or the download was blocked) it tries the download once and otherwise
// says so in one line and starts browser mode instead, so `npm start` always ends in a running app.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appRoot, ensureBuilt, MAIN_V8_FLAGS, runBrowserMode, runChild } from './launch-helpers.mjs'

const electronDir = join(appRoot, 'node_modules', 'electron')

/** Absolute path of the Electron executable, or null when it is not installed. */
function electronBinary() {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()
    const full = join(electronDir, 'dist', relative)
    return relative && existsSync(full) ? full : null
  } catch {
    return null
  }
}

/**
 * Tries Electron's own installer once; resolves null on success or a short reason on failure.
 * Quiet when it fails fast (no network); says what is happening if the download takes a while.
 */
function tryDownloadElectron() {
  const installer = join(electronDir, 'install.js')
  if (!existsSync(installer)) return Promise.resolve('the electron package is not installed')
  return new Promise((done) => {
    const child = spawn(process.execPath, [installer], { cwd: appRoot, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (c) => (output += c))
    child.stderr.setEncoding('utf8').on('data', (c) => (output += c))
    const notice = setTimeout(() => process.stderr.write("Downloading Electron's binary (once)…\n"), 3000)
    child.on('error', (err) => {
      clearTimeout(notice)
      done(err.message)
    })
    child.on('close', (code) => {
      clearTimeout(notice)
      if (code === 0) return done(null)
      // The installer prints a stack trace; its first line is the useful part ("TypeError: fetch failed").
      const firstLine = output.split('\n').map((l) => l.trim()).find((l) => l.length > 0)
      done((firstLine ?? `installer exited with ${code}`).slice(0, 160))
    })
  })
}

/** Why Electron cannot run here, or null when it can. */
async function electronUnavailable() {
  if (!electronBinary()) {
    if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set)"
    const failure = await tryDownloadElectron()
    if (failure || !electronBinary()) return `Electron's binary is not installed (download failed: ${failure ?? 'no binary after install'})`
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'There is no display to open a window on'
  return null
}

ensureBuilt()
const args = process.argv.slice(2)
const unavailable = await electronUnavailable()
if (unavailable) {
  process.stderr.write(`${unavailable}; starting browser mode instead.\n`)
  process.exitCode = await runBrowserMode(args)
} else {
  // ELECTRON_RUN_AS_NODE would turn the app into a plain Node script.
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  // Electron's main process takes V8 flags only from its own command line.
  const jsFlags = MAIN_V8_FLAGS.length > 0 ? [`--js-flags=${MAIN_V8_FLAGS.join(' ')}`] : []
  process.exitCode = await runChild(electronBinary(), [...jsFlags, appRoot, ...args], env)
}
