/**
 * Opt-in TLS key log (NSS key log format) so Wireshark can decrypt a capture of one
 * connection. Never on by default. Lines are written synchronously as OpenSSL produces them
 * (a handful per handshake), so turning it off takes effect before the next line: there is no
 * buffer that could still flush secrets afterwards. The file is created with mode 0600 and, if
 * it existed, tightened to 0600, because these lines decrypt the whole session.
 */
import { closeSync, fchmodSync, fstatSync, openSync, writeSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { ApiError } from '../../api/errors'

/** Receives keylog lines of a socket; attach with `socket.on('keylog', sink)`. */
export type KeyLogSink = (line: Buffer) => void

/** Key logging per connection. One instance per app. */
export class KeyLogRegistry {
  private readonly open = new Map<string, { fd: number; path: string }>()

  /** Starts writing this connection's key log lines to `path` (appending). */
  enable(connectionId: string, path: string): void {
    if (!isAbsolute(path)) throw new ApiError('BAD_REQUEST', 'Choose a full path for the key log file.')
    this.disable(connectionId)
    let fd: number
    try {
      fd = openSync(path, 'a', 0o600)
    } catch (err) {
      throw new ApiError('STORAGE_WRITE_FAILED', `The key log file ${path} cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'}) — choose another place.`)
    }
    if (!fstatSync(fd).isFile()) {
      closeSync(fd)
      throw new ApiError('BAD_REQUEST', `${path} is not a regular file — choose a file for the key log.`)
    }
    fchmodSync(fd, 0o600)
    this.open.set(connectionId, { fd, path })
  }

  /** Stops at once: the next line of this connection is dropped. */
  disable(connectionId: string): void {
    const entry = this.open.get(connectionId)
    if (!entry) return
    this.open.delete(connectionId)
    closeSync(entry.fd)
  }

  /** The file a connection logs to, or null: drives the "key log is on" indicator. */
  pathOf(connectionId: string): string | null {
    return this.open.get(connectionId)?.path ?? null
  }

  /**
   * A sink for one socket of this connection. It looks the connection up per line, so it can
   * be attached before the handshake and obeys enable/disable made at any time afterwards.
   */
  sinkFor(connectionId: string): KeyLogSink {
    return (line) => {
      const entry = this.open.get(connectionId)
      if (!entry) return
      const text = line[line.length - 1] === 0x0a ? line : Buffer.concat([line, Buffer.from('\n')])
      try {
        writeSync(entry.fd, text)
      } catch {
        // This runs inside the socket's 'keylog' event: a throw (disk full, file gone) would be an
        // uncaught exception. Stop logging instead; the indicator then shows the key log as off.
        this.disable(connectionId)
      }
    }
  }

  /** Closes every file (app shutdown). */
  closeAll(): void {
    for (const id of [...this.open.keys()]) this.disable(id)
  }
}

/** The client random (hex) of an NSS key log line, or null for a line without one. */
export function clientRandomOf(line: string): string | null {
  const m = /^[A-Z0-9_]+ ([0-9a-fA-F]{64}) [0-9a-fA-F]+$/.exec(line.trim())
  return m ? m[1].toLowerCase() : null
}
