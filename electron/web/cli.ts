/**
 * Browser mode entry (built to out/main/web.js): `node out/main/web.js [--port N] [--data-dir DIR] [--no-open]`.
 * Runs the same service as the desktop app in plain Node and serves the built renderer on
 * 127.0.0.1. Stdout carries exactly one line, the address with this run's token; everything
 * else goes to stderr so scripts and tests can read the address reliably.
 */
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBackend } from '../host/backend'
import { parseWebArgs, USAGE } from './cli-args'
import { prepareDataDir } from '../host/data-dir'
import { openInBrowser } from './open-browser'
import { createToken } from './request-guard'
import { startWebHost, type WebHost } from './web-host'

/** Longest a clean shutdown (brokers disconnecting, sandbox stopping) may take before we exit anyway. */
const SHUTDOWN_GRACE_MS = 5000

function log(line: string): void {
  process.stderr.write(`[web] ${line}\n`)
}

/** out/main/web.js → the app root holding package.json and out/renderer. */
const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

async function readVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(join(appRoot, 'package.json'), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    return '0.0.0'
  }
}

async function main(): Promise<void> {
  let args
  try {
    args = parseWebArgs(process.argv.slice(2))
  } catch (err) {
    log(err instanceof Error ? err.message : String(err))
    log(USAGE)
    process.exit(2)
  }
  if (args.help) {
    process.stderr.write(USAGE + '\n')
    return
  }

  const dataDir = await prepareDataDir(args.dataDir, { ours: !args.dataDirGiven })
  if (dataDir.warning) log(dataDir.warning)
  const backend = await createBackend({ dataDir: args.dataDir, mode: 'browser', version: await readVersion(), log })

  let host: WebHost
  try {
    host = await startWebHost({ rpc: backend.rpc, rendererDir: join(appRoot, 'out', 'renderer'), token: createToken(), port: args.port, log })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    log(code === 'EADDRINUSE' ? `Port ${args.port} is already in use; pick another with --port, or --port 0 for any free port.` : `Could not start the server: ${String(err)}`)
    await backend.close().catch(() => {})
    process.exit(1)
  }

  let stoppingSince = 0
  const stop = (signal: string) => {
    if (stoppingSince) {
      // A wrapper (npm, our start script) may pass on the same Ctrl+C the terminal already sent;
      // only a second press, a moment later, means "exit now".
      if (Date.now() - stoppingSince > 1000) process.exit(130)
      return
    }
    stoppingSince = Date.now()
    log(`${signal}: closing connections and stopping the sandbox broker`)
    const force = setTimeout(() => {
      log('shutdown took too long; exiting anyway')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS)
    force.unref()
    const closing = host.close().catch((err: unknown) => log(`closing the server: ${String(err)}`))
    closing
      .then(() => backend.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          log(`shutdown: ${String(err)}`)
          process.exit(1)
        },
      )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  // Announce the address only once the signal handlers exist: whoever reads this line may send
  // SIGTERM at once, and without a handler that would skip the clean shutdown.
  process.stdout.write(`MQTTS Explorer listening on ${host.url}\n`)
  log(`data folder: ${args.dataDir}`)
  if (args.open) openInBrowser(host.url, log)
}

main().catch((err: unknown) => {
  log(`failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}`)
  process.exit(1)
})
