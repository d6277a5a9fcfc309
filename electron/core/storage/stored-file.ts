/**
 * The one way a file the app stored is read back: read it, parse it as JSON, validate it with a
 * zod schema. A missing file gives the default. A file that is not JSON or fails its schema is
 * moved aside as `<file>.corrupt-<time>` (kept for the user and for a bug report) and reported in
 * a sentence the app shows with its other storage warnings; the default is used instead. A file
 * that cannot be read at all (EACCES, EMFILE, EBUSY, EISDIR…) is not damaged, perhaps only for a
 * moment, so it is left where it is, reported, and marked so its store does not save over it. The vault's files
 * are read with `onInvalid: 'keep'`: moving those aside could cost the user access to every
 * secret, so the vault decides what a damaged one means.
 */
import type { z } from 'zod'
import { notice, type Notice, type NoticeCode, type StoredFileTerm } from '../../api/notices'
import { moveAside, readJson } from './atomic-json'

/** Which step failed: the read itself, the JSON parse, or the schema. */
export type StoredFileFailure = 'unreadable' | 'not-json' | 'invalid'

export interface StoredFileProblem {
  failure: StoredFileFailure
  /** The problem in words: the fs or JSON error's message, or `not <shape> (<first issue>)`. */
  reason: string
  /** The fs error, the SyntaxError or the ZodError. */
  error: unknown
  /** Where the file was moved to (only when it was moved aside). */
  movedTo?: string
  /** Why moving it aside failed. */
  moveError?: string
  /** The file is still at its path (unreadable, kept, or the move failed): saving must not overwrite it. */
  keptInPlace?: true
  /** One sentence for the user: what happened and where their data is. */
  warning: string
  /** The same sentence with its code, for a file the app reports (one with a `term`). */
  notice?: Notice
}

export interface StoredFileOptions<T> {
  /** The value used when the file is missing or damaged (called each time: return a fresh one). */
  fallback: () => T
  /** What the file holds, as the user would say it: "saved connection profiles". */
  what: string
  /** What the schema describes, for the reason: "a profiles document". */
  shape: string
  /** How the app goes on without it (default "without them"): "with the default settings". */
  startsWith?: string
  /** `move-aside` (default) or `keep`, which leaves a damaged file where it is (the vault's files). */
  onInvalid?: 'move-aside' | 'keep'
  /** Which file of the app's warnings this is, so the warning can be translated (`what` and `startsWith` in the UI's words). */
  term?: StoredFileTerm
}

export interface StoredFileRead<T> {
  value: T
  /** Set when the file existed but could not be used. */
  problem?: StoredFileProblem
}

/**
 * A schema can word its own failure for the warning (a file from a newer version is not
 * "unreadable"): a custom issue whose `params.phrase` completes "Your <what> …". `newer` marks
 * the phrase that says a newer version wrote the file (its format, and the one this version reads).
 */
export function phraseIssue(phrase: string, newer?: { format: number; reads: number }): { code: 'custom'; message: string; params: { phrase: string; newer?: { format: number; reads: number } } } {
  return { code: 'custom', message: phrase, params: newer ? { phrase, newer } : { phrase } }
}

type Newer = { format: number; reads: number } | undefined

/** The warning's notice: its code, the file's words with their term, and the sentence's values. */
function problemNotice(options: StoredFileOptions<unknown>, code: NoticeCode, message: string, values: Record<string, string | number>): Notice | undefined {
  if (!options.term) return undefined
  const startsWith = options.startsWith ?? 'without them'
  return notice(code, message, { what: options.what, whatTerm: options.term, startsWith, startsWithTerm: options.term, ...values })
}

/** Reads `path` as described in the module comment. Never throws for a damaged or unreadable file. */
export async function readStoredFile<T, F = T>(path: string, schema: z.ZodType<T>, options: StoredFileOptions<F>): Promise<StoredFileRead<T | F>> {
  let raw: unknown
  try {
    raw = await readJson(path)
  } catch (err) {
    const reason = errorMessage(err)
    if (!(err instanceof SyntaxError)) {
      // An I/O error says nothing about the contents; moving the file aside would drop them.
      const warning = `Your ${options.what} could not be read (${reason}); the file was left unchanged at ${path}. Fix what keeps MQTTS Explorer from reading it and restart.`
      const problem: StoredFileProblem = { failure: 'unreadable', reason, error: err, keptInPlace: true, warning }
      const said = problemNotice(options, 'STORED_FILE_UNREADABLE', warning, { reason, path })
      return { value: options.fallback(), problem: said ? { ...problem, notice: said } : problem }
    }
    return { value: options.fallback(), problem: await setAside(path, options, 'not-json', err, reason, undefined, undefined) }
  }
  if (raw === undefined) return { value: options.fallback() }

  const parsed = schema.safeParse(raw)
  if (parsed.success) return { value: parsed.data }
  const issue = parsed.error.issues[0]
  const phrase = issue?.code === 'custom' && typeof issue.params?.phrase === 'string' ? issue.params.phrase : undefined
  const newer = phrase !== undefined && issue?.code === 'custom' ? (issue.params?.newer as Newer) : undefined
  const reason = `not ${options.shape} (${describeIssue(parsed.error)})`
  return { value: options.fallback(), problem: await setAside(path, options, 'invalid', parsed.error, reason, phrase, newer) }
}

/** "field.path: message" for the first problem zod found: enough for a user to fix the file. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid'
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message
}

async function setAside(
  path: string,
  options: StoredFileOptions<unknown>,
  failure: StoredFileFailure,
  error: unknown,
  reason: string,
  phrase: string | undefined,
  newer: Newer,
): Promise<StoredFileProblem> {
  const what = `Your ${options.what} ${phrase ?? `could not be read (${reason})`}`
  // The schema's own phrase has the values of a translation only when it is the newer-version one;
  // another keeps the outcome's code without them, so the UI shows its English.
  const values: Record<string, string | number> | undefined = phrase === undefined ? { reason } : newer !== undefined ? { format: newer.format, reads: newer.reads } : undefined
  const said = (code: NoticeCode, codeNewer: NoticeCode, message: string, more: Record<string, string>): { notice?: Notice } => {
    const n = problemNotice(options, newer ? codeNewer : code, message, values ? { ...values, ...more } : {})
    return n ? { notice: n } : {}
  }
  if (options.onInvalid === 'keep') return { failure, reason, error, keptInPlace: true, warning: `${what}; the file was left unchanged at ${path}.` }
  try {
    const movedTo = await moveAside(path, 'corrupt')
    const warning = `${what}, so MQTTS Explorer started ${options.startsWith ?? 'without them'}; the file was kept unchanged at ${movedTo}.`
    return { failure, reason, error, movedTo, warning, ...said('STORED_FILE_SET_ASIDE', 'STORED_FILE_NEWER_SET_ASIDE', warning, { movedTo }) }
  } catch (err) {
    const moveError = errorMessage(err)
    const warning = `${what} and could not be moved aside (${moveError}); nothing will be saved until ${path} is fixed or removed.`
    return { failure, reason, error, moveError, keptInPlace: true, warning, ...said('STORED_FILE_STUCK', 'STORED_FILE_NEWER_STUCK', warning, { moveError, path }) }
  }
}

/** A reported file's warning as a notice (a file read without a `term` has none: its English only). */
export function warningNotice(problem: StoredFileProblem): Notice {
  return problem.notice ?? notice('STORED_FILE_UNREADABLE', problem.warning)
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
