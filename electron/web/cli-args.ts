/**
 * Command-line arguments of browser mode: `web.js [--port N] [--data-dir DIR] [--no-open]`.
 */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { defaultDataDir } from '../host/data-dir'

export interface WebArgs {
  /** undefined = the default port (or any free one if taken); 0 = any free port. */
  port?: number
  dataDir: string
  /** True when --data-dir named the folder (the user's choice), false for the default one (ours). */
  dataDirGiven: boolean
  /** Open the app in the default browser once listening. */
  open: boolean
  help: boolean
}

export const USAGE = 'Usage: web.js [--port N] [--data-dir DIR] [--no-open]'

/** Parses argv (without node and script); throws an Error with a one-line reason on bad input. */
export function parseWebArgs(argv: string[], fallbackDataDir: () => string = () => defaultDataDir()): WebArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  })
  let port: number | undefined
  if (values.port !== undefined) {
    port = Number(values.port)
    if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}".`)
  }
  const dataDir = values['data-dir']
  if (dataDir !== undefined && dataDir.trim() === '') throw new Error('--data-dir needs a folder.')
  return {
    port,
    dataDir: dataDir !== undefined ? resolve(dataDir) : fallbackDataDir(),
    dataDirGiven: dataDir !== undefined,
    open: !values['no-open'],
    help: values.help,
  }
}
