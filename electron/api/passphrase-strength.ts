/**
 * A simple, honest estimate of how hard a new master passphrase is to guess, and the rules for
 * accepting one. The master passphrase is the only key to the vault when there is no keychain:
 * a typo or a guessable choice loses or exposes every saved certificate, so it is asked twice and
 * a weak one is refused with a sentence that says what to do.
 *
 * The estimate: each character adds log2 of the alphabet its classes span (lowercase, uppercase,
 * digits, ASCII symbols and space, anything else), except that a repeat or a step of a run
 * (`aaaa`, `abcd`, `4321`) adds 1 bit, and a common password word adds 8 bits in all. It
 * over-rates a phrase made of dictionary words, so the thresholds are set high.
 */

/** Fewer characters than this are refused before any estimate. */
export const MIN_MASTER_PASSPHRASE = 10

export type StrengthLabel = 'weak' | 'fair' | 'strong'

export interface PassphraseStrength {
  /** Estimated bits of guessing work, rounded down. */
  bits: number
  label: StrengthLabel
}

/** Below this a passphrase is weak, and refused. */
const FAIR_BITS = 45
/** From this on, strong. */
const STRONG_BITS = 65
/** What one word from a list of common passwords is worth, however long it is. */
const COMMON_WORD_BITS = 8
/** Lower-case pieces that password lists start with; found anywhere, they count as one guess each. */
const COMMON_WORDS = [
  'password', 'passphrase', 'passwort', 'motdepasse', 'contraseña', 'qwertyuiop', 'qwerty', 'qwertz', 'azerty', 'asdfgh', 'zxcvbn',
  'letmein', 'welcome', 'admin', 'administrator', 'secret', 'changeme', 'default', 'iloveyou', 'trustno1', 'monkey', 'dragon',
  'football', 'baseball', 'sunshine', 'princess', 'shadow', 'master', 'login', 'abc123', 'mqtt', 'mosquitto', 'broker', 'explorer',
  'vault', 'certificate',
].sort((a, b) => b.length - a.length)

/** Bits one character of `text` adds, by the classes present anywhere in it. */
function bitsPerCharacter(chars: string[]): number {
  let lower = false
  let upper = false
  let digit = false
  let symbol = false
  let other = false
  for (const c of chars) {
    if (c >= 'a' && c <= 'z') lower = true
    else if (c >= 'A' && c <= 'Z') upper = true
    else if (c >= '0' && c <= '9') digit = true
    else if (c.length === 1 && c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f) symbol = true
    else other = true
  }
  const pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0)
  return pool > 1 ? Math.log2(pool) : 0
}

/** Marks the characters that belong to a common word; returns how many words were found. */
function markCommonWords(lower: string[], covered: boolean[]): number {
  const text = lower.join('')
  let words = 0
  for (const word of COMMON_WORDS) {
    let from = text.indexOf(word)
    while (from !== -1) {
      // Positions count code points, like `covered`; lower-casing that changes a length only shifts the estimate, never throws.
      const start = Array.from(text.slice(0, from)).length
      const length = Array.from(word).length
      if (!covered.slice(start, start + length).some(Boolean)) {
        for (let i = start; i < start + length; i++) covered[i] = true
        words++
      }
      from = text.indexOf(word, from + 1)
    }
  }
  return words
}

/** The estimate for `passphrase`; empty text is 0 bits, weak. */
export function estimatePassphrase(passphrase: string): PassphraseStrength {
  const chars = Array.from(passphrase)
  const perChar = bitsPerCharacter(chars)
  const covered = chars.map(() => false)
  let bits = markCommonWords(Array.from(passphrase.toLowerCase()), covered) * COMMON_WORD_BITS
  let previous: number | null = null
  for (let i = 0; i < chars.length; i++) {
    if (covered[i]) {
      previous = null
      continue
    }
    const code = chars[i].codePointAt(0) ?? 0
    const step = previous === null ? null : Math.abs(code - previous)
    bits += step !== null && step <= 1 ? 1 : perChar
    previous = code
  }
  const whole = Math.floor(bits)
  return { bits: whole, label: whole >= STRONG_BITS ? 'strong' : whole >= FAIR_BITS ? 'fair' : 'weak' }
}

/**
 * Why `passphrase` with its `confirmation` cannot become the master passphrase, or null when it
 * can: too short, too easy to guess, or the two do not match.
 */
export function newPassphraseProblem(passphrase: string, confirmation: string): string | null {
  if (Array.from(passphrase).length < MIN_MASTER_PASSPHRASE) {
    return `Use at least ${MIN_MASTER_PASSPHRASE} characters — a few unrelated words make a passphrase that is long and easy to remember.`
  }
  const strength = estimatePassphrase(passphrase)
  if (strength.label === 'weak') {
    return 'This passphrase is easy to guess — make it longer, or add words or characters that do not follow a pattern.'
  }
  if (passphrase !== confirmation) return 'The two passphrases do not match — type the same passphrase in both fields.'
  return null
}
