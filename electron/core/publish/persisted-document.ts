/**
 * A document the publish feature keeps in the data folder (history, templates): read once
 * through `readStoredFile` (a damaged file is moved aside and reported), then written atomically
 * after each change. Changes that come faster than the disk are coalesced: at most one write
 * runs and one waits, and the waiting one writes the newest value.
 */
import { join } from 'node:path'
import type { z } from 'zod'
import { removeStaleTemps, writeJsonAtomic } from '../storage/atomic-json'
import type { Notice, StoredFileTerm } from '../../api/notices'
import { readStoredFile, warningNotice } from '../storage/stored-file'

export class PersistedDocument<T> {
  private writing: Promise<void> | null = null
  private again = false

  private constructor(
    private readonly path: string,
    private readonly snapshot: () => T,
    /** A file that could not be moved aside must not be overwritten. */
    private readonly readOnly: boolean,
    readonly warnings: string[],
    /** The same warnings with their codes, for translation (same order). */
    readonly warningNotices: Notice[],
  ) {}

  /** Reads `<dataDir>/<file>`; `snapshot` gives the value to write at each save. */
  static async open<T>(
    dataDir: string,
    file: string,
    schema: z.ZodType<T>,
    what: { what: string; shape: string; term: StoredFileTerm; fallback: () => T },
  ): Promise<{ value: T; bind: (snapshot: () => T) => PersistedDocument<T> }> {
    const path = join(dataDir, file)
    await removeStaleTemps(path)
    const read = await readStoredFile(path, schema, { fallback: what.fallback, what: what.what, shape: what.shape, term: what.term })
    const notices = read.problem ? [warningNotice(read.problem)] : []
    return { value: read.value, bind: (snapshot) => new PersistedDocument(path, snapshot, read.problem?.keptInPlace === true, notices.map((n) => n.message), notices) }
  }

  /** Saves the current value soon; resolves once a write that includes it is on disk. */
  save(): Promise<void> {
    if (this.readOnly) return Promise.resolve()
    if (this.writing) {
      // The running loop writes once more, with the newest value, before it settles.
      this.again = true
      return this.writing
    }
    this.writing = (async () => {
      try {
        do {
          this.again = false
          await writeJsonAtomic(this.path, this.snapshot())
        } while (this.again)
      } finally {
        this.writing = null
      }
    })()
    return this.writing
  }

  /** Resolves once nothing is waiting to be written. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined)
  }
}
