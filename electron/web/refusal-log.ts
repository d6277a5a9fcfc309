/**
 * Refusals are logged, but a flood of bad requests must not become a flood of log lines (100,000
 * refused requests once wrote 80,000 lines). Per reason, the first few refusals of a window are
 * logged in full; the rest are counted and summed up in one line when the window ends.
 */

/** A refusal's category: refusals of one kind share one budget of lines. */
export type RefusalReason = 'host' | 'duplicate-host' | 'no-token' | 'wrong-token' | 'origin' | 'no-endpoint'

export interface RefusalLogOptions {
  /** Full lines per reason per window. */
  linesPerWindow?: number
  windowMs?: number
}

export interface RefusalLog {
  /** Logs `line` unless this reason used up its lines in the current window, then only counts it. */
  refused(reason: RefusalReason, line: string): void
  /** Writes the pending summaries now and stops the timers (on shutdown). */
  flush(): void
}

export const DEFAULT_REFUSAL_LINES_PER_WINDOW = 10
export const DEFAULT_REFUSAL_WINDOW_MS = 60_000

/** What each reason is called in a summary line. */
const REASON_WORDS: Record<RefusalReason, string> = {
  host: 'foreign Host header',
  'duplicate-host': 'more than one Host header',
  'no-token': 'no valid token cookie',
  'wrong-token': 'wrong token in the address',
  origin: 'foreign Origin',
  'no-endpoint': 'no WebSocket endpoint',
}

interface Window {
  logged: number
  suppressed: number
  timer: ReturnType<typeof setTimeout>
}

/** Wraps `log` with a per-reason budget of lines per window. */
export function createRefusalLog(log: (line: string) => void, options: RefusalLogOptions = {}): RefusalLog {
  const linesPerWindow = options.linesPerWindow ?? DEFAULT_REFUSAL_LINES_PER_WINDOW
  const windowMs = options.windowMs ?? DEFAULT_REFUSAL_WINDOW_MS
  const windows = new Map<RefusalReason, Window>()

  function close(reason: RefusalReason): void {
    const w = windows.get(reason)
    if (!w) return
    clearTimeout(w.timer)
    windows.delete(reason)
    if (w.suppressed > 0) log(`… and ${w.suppressed} more refused requests (${REASON_WORDS[reason]}) in the last ${describeWindow(windowMs)}`)
  }

  return {
    refused(reason, line) {
      let w = windows.get(reason)
      if (!w) {
        const timer = setTimeout(() => close(reason), windowMs)
        // A pending summary must not keep the process alive on its own.
        timer.unref?.()
        w = { logged: 0, suppressed: 0, timer }
        windows.set(reason, w)
      }
      if (w.logged < linesPerWindow) {
        w.logged++
        log(line)
      } else {
        w.suppressed++
      }
    },
    flush() {
      for (const reason of [...windows.keys()]) close(reason)
    },
  }
}

function describeWindow(ms: number): string {
  if (ms === 60_000) return 'minute'
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
