#!/usr/bin/env node
// `npm start`: builds if needed, then opens the desktop app. When Electron's binary is missing
// (npm was told to skip it, or the download was blocked) it tries the download once and otherwise
// says so in one line and starts browser mode instead, so `npm start` always ends in a running app.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appRoot, ensureBuilt, runBrowserMode, runChild } from './launch-helpers.mjs'

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

/** Tries Electron's own installer once; returns null on success or a short reason on failure. */
function tryDownloadElectron() {
  const installer = join(electronDir, 'install.js')
  if (!existsSync(installer)) return 'the electron package is not installed'
  process.stderr.write("Electron's binary is missing; trying to download it once…\n")
  const result = spawnSync(process.execPath, [installer], { cwd: appRoot, encoding: 'utf8', timeout: 300_000 })
  if (result.error) return result.error.message
  if (result.status === 0) return null
  // The installer prints a stack trace; its first line is the useful part ("TypeError: fetch failed").
  const firstLine = `${result.stderr}\n${result.stdout}`.split('\n').map((l) => l.trim()).find((l) => l.length > 0)
  return (firstLine ?? `installer exited with ${result.status}`).slice(0, 160)
}

/** Why Electron cannot run here, or null when it can. */
function electronUnavailable() {
  if (!electronBinary()) {
    if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set)"
    const failure = tryDownloadElectron()
    if (failure || !electronBinary()) return `Electron's binary is not installed (download failed: ${failure ?? 'no binary after install'})`
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'There is no display to open a window on'
  return null
}

ensureBuilt()
const args = process.argv.slice(2)
const unavailable = electronUnavailable()
if (unavailable) {
  process.stderr.write(`${unavailable}; starting browser mode instead.\n`)
  process.exitCode = await runBrowserMode(args)
} else {
  // ELECTRON_RUN_AS_NODE would turn the app into a plain Node script.
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  process.exitCode = await runChild(electronBinary(), [appRoot, ...args], env)
}
