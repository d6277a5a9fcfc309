/**
 * Recordings the OS hands the desktop app: paths on the command line of the first launch or of
 * a second instance (Windows, Linux: a double click starts the app with the file as an
 * argument), and macOS's `open-file` events, which may come before the app is ready. Pure and
 * Electron-free, so it is unit-tested without Electron.
 */
import { isAbsolute, resolve } from 'node:path'

/** What the app opens from the OS: our recordings, plain or gzip (`.mqtt.jsonl`, `.jsonl.gz`, …). */
const RECORDING_FILE = /\.jsonl(\.gz)?$/i

/**
 * The recording files named in `argv`, as absolute paths, in order, each once. argv[0] is the
 * executable; unpackaged, argv[1] is the app's folder. Switches (Chromium's `--…`, macOS's
 * `-psn_…`) and other files are ignored.
 */
export function recordingPathsFromArgv(argv: readonly string[], options: { cwd: string; packaged: boolean }): string[] {
  const args = argv.slice(options.packaged ? 1 : 2)
  const out: string[] = []
  for (const arg of args) {
    if (arg.startsWith('-') || !RECORDING_FILE.test(arg)) continue
    const path = isAbsolute(arg) ? arg : resolve(options.cwd, arg)
    if (!out.includes(path)) out.push(path)
  }
  return out
}

/** Whether a file handed over by `open-file` (macOS) is one the app opens. */
export function isRecordingFile(path: string): boolean {
  return RECORDING_FILE.test(path)
}

/**
 * Holds paths until the app can open them (the engine and the window exist), then opens them one
 * at a time, in the order they came; a path already waiting is not queued twice.
 */
export class OpenFileQueue {
  private readonly waiting: string[] = []
  private open: ((path: string) => Promise<void>) | null = null
  private running = false

  add(paths: readonly string[]): void {
    for (const path of paths) if (!this.waiting.includes(path)) this.waiting.push(path)
    void this.drain()
  }

  /** From now on paths are opened by `open`, which reports its own failures. */
  ready(open: (path: string) => Promise<void>): void {
    this.open = open
    void this.drain()
  }

  get pending(): readonly string[] {
    return this.waiting
  }

  private async drain(): Promise<void> {
    if (this.running || !this.open) return
    this.running = true
    try {
      for (let path = this.waiting.shift(); path !== undefined; path = this.waiting.shift()) {
        await this.open(path).catch(() => undefined)
      }
    } finally {
      this.running = false
    }
  }
}
