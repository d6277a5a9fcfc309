import { describe, expect, it } from 'vitest'
import { estimatePassphrase, MIN_MASTER_PASSPHRASE, newPassphraseProblem } from '../../electron/api/passphrase-strength'

describe('master passphrase strength', () => {
  it('calls repeats, runs, keyboard rows and common passwords weak, however long', () => {
    for (const p of ['aaaaaaaaaaaaaaaaaaaa', 'abcdefghijklmnop', '12345678901234', 'zyxwvutsrqponm', 'qwertyuiop1234', 'Password123!', 'mqttexplorer', 'passwordpassword', 'adminadminadmin1']) {
      expect(estimatePassphrase(p).label, p).toBe('weak')
    }
  })

  it('calls ten random characters fair and a phrase of unrelated words strong', () => {
    expect(estimatePassphrase('k3v9x2m7q1').label).toBe('fair')
    for (const p of ['correct horse battery staple', 'violet-harbour-2741-kite', 'Zugspitze 2962 m', 'пароль-надежный-42']) {
      expect(estimatePassphrase(p).label, p).toBe('strong')
    }
  })

  it('grows with length and with character classes', () => {
    expect(estimatePassphrase('').bits).toBe(0)
    expect(estimatePassphrase('hxkqzfwm').bits).toBeLessThan(estimatePassphrase('hxkqzfwmtv').bits)
    expect(estimatePassphrase('hxkqzfwmtv').bits).toBeLessThan(estimatePassphrase('hXkQzFwMtV').bits)
    expect(estimatePassphrase('hXkQzFwMtV').bits).toBeLessThan(estimatePassphrase('hX7Q%F9M!V').bits)
  })
})

describe('accepting a new master passphrase', () => {
  it('refuses one shorter than the minimum, counting characters, not bytes', () => {
    expect(MIN_MASTER_PASSPHRASE).toBe(10)
    expect(newPassphraseProblem('Zq7#kP2!x', 'Zq7#kP2!x')).toMatch(/at least 10 characters/)
    // Nine emoji are 18 UTF-16 units but nine characters.
    expect(newPassphraseProblem('🔑'.repeat(9), '🔑'.repeat(9))).toMatch(/at least 10 characters/)
  })

  it('refuses a guessable one with a sentence that says what to do', () => {
    expect(newPassphraseProblem('aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaa')).toBe(
      'This passphrase is easy to guess — make it longer, or add words or characters that do not follow a pattern.',
    )
  })

  it('refuses two that differ, so a typo cannot lock the vault', () => {
    expect(newPassphraseProblem('violet-harbour-2741-kite', 'violet-harbour-2741-kits')).toMatch(/do not match/)
    expect(newPassphraseProblem('violet-harbour-2741-kite', '')).toMatch(/do not match/)
  })

  it('accepts a long, unguessable one typed the same twice', () => {
    expect(newPassphraseProblem('violet-harbour-2741-kite', 'violet-harbour-2741-kite')).toBeNull()
    expect(newPassphraseProblem('k3v9x2m7q1', 'k3v9x2m7q1')).toBeNull()
  })
})
