// Shared by `npm start` and `npm run web`: builds the app when out/ is missing or older than the
// sources (so a fresh checkout and an edited one both just work), finds Electron's binary, and
// runs browser mode. Our own messages and the build's output go to stderr: stdout is reserved for
// the one line browser mode prints (its address).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const appRoot = resolve(import.meta.dirname, '..', '..')

/** Files the build produces; all must exist and be newer than every source. */
export const BUILD_OUTPUTS = ['out/main/index.js', 'out/main/web.js', 'out/main/recording-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html']

/** What the build reads. Folders are walked (skipping node_modules and dot folders). */
export const BUILD_INPUTS = ['electron', 'renderer', 'build/electron.vite.config.ts', 'package.json', 'tsconfig.json']

/** Newest modification time (ms) among files under the given paths; 0 if none exist. */
export function newestMtime(root, paths) {
  let newest = 0
  const visit = (path) => {
    let info
    try {
      info = statSync(path)
    } catch {
      return
    }
    if (info.isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue
        visit(join(path, entry))
      }
    } else if (info.mtimeMs > newest) {
      newest = info.mtimeMs
    }
  }
  for (const p of paths) visit(join(root, p))
  return newest
}

/** Why a build is needed, or null when out/ is complete and newer than every source. */
export function staleReason(root = appRoot) {
  let oldestOutput = Infinity
  for (const out of BUILD_OUTPUTS) {
    const file = join(root, out)
    if (!existsSync(file)) return `${out} is missing`
    oldestOutput = Math.min(oldestOutput, statSync(file).mtimeMs)
  }
  if (newestMtime(root, BUILD_INPUTS) > oldestOutput) return 'sources changed since the last build'
  return null
}

/** Builds if needed; exits the process with a clear message when the build fails. */
export function ensureBuilt({ log = (line) => process.stderr.write(line + '\n') } = {}) {
  const reason = staleReason()
  if (!reason) return
  log(`Building MQTTS Explorer (${reason})…`)
  const cli = join(appRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const result = spawnSync(process.execPath, [cli, 'build', '--config', 'build/electron.vite.config.ts'], {
    cwd: appRoot,
    // stdout of the build goes to our stderr so that our stdout stays a single line.
    stdio: ['ignore', 2, 2],
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  })
  if (result.error || result.status !== 0) {
    log(`The build failed${result.error ? `: ${result.error.message}` : ''}; see the messages above.`)
    process.exit(1)
  }
}

/**
 * V8 flags of the app's main side (browser mode: node's command line; Electron: --js-flags).
 * The main side holds the topic trees: a broker's retained burst grows the old generation by
 * ~70 MB per 100,000 topics in a second or two, and V8's small starting limit made it run full
 * collections (with concurrent marking threads) over and over on the way. Starting the limit at
 * 256 MB lets a tree that size build without one: retained-100k CPU 1.05-1.13 s instead of
 * 1.21-1.26 s (ratio 1.42-1.50 vs 1.47-1.51), same peak RSS. Memory is only committed as used,
 * and idle-time GC still shrinks the heap. The default young generation measured best since tree
 * nodes are pretenured (electron/core/tree/topic-node.ts): a 64 MB one gave ratio 1.76 vs 1.43
 * and 338 vs 254 MB RSS. `BENCH_OUR_FLAGS` overrides these in the benchmark.
 */
export const MAIN_V8_FLAGS = ['--initial-old-space-size=256']

/** Runs out/main/web.js with the given arguments, forwarding SIGTERM; resolves with its exit code. */
export function runBrowserMode(args) {
  return runChild(process.execPath, [...MAIN_V8_FLAGS, join(appRoot, 'out', 'main', 'web.js'), ...args], process.env)
}

/**
 * Runs a child with inherited stdio until it exits, passing SIGINT/SIGTERM on (a terminal's Ctrl+C
 * may reach the child twice that way; browser mode treats a near-simultaneous repeat as one).
 */
export function runChild(command, args, env) {
  const child = spawn(command, args, { cwd: appRoot, stdio: 'inherit', env })
  const onTerm = () => child.kill('SIGTERM')
  const onInt = () => child.kill('SIGINT')
  process.on('SIGTERM', onTerm)
  process.on('SIGINT', onInt)
  return new Promise((done) => {
    const finish = (code) => {
      process.off('SIGTERM', onTerm)
      process.off('SIGINT', onInt)
      done(code)
    }
    child.on('error', (err) => {
      process.stderr.write(`Could not start ${command}: ${err.message}\n`)
      finish(1)
    })
    child.on('exit', (code, signal) => finish(code ?? (signal === 'SIGINT' ? 130 : 143)))
  })
}
