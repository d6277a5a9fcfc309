/**
 * The three languages stay complete: every key of English is in Simplified Chinese and German and
 * no other key is, no message is empty, each translation has the same `{placeholders}` as the
 * English one, every message compiles with vue-i18n's message compiler (a stray `@` or `{` would
 * otherwise break at run time), and every `t('key')` written in the renderer names a key that
 * exists. The locale files are typed against English too, so a missing key is a type error first.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { baseCompile } from '@intlify/message-compiler'
import { en } from '../../renderer/src/lib/i18n/en'
import { de } from '../../renderer/src/lib/i18n/de'
import { zhCN } from '../../renderer/src/lib/i18n/zh-CN'
import { matchLocale, resolveLocale } from '../../renderer/src/lib/i18n/locale'

const RENDERER = resolve(import.meta.dirname, '../../renderer/src')

/** Every leaf of a messages object as dotted key → message. */
function leaves(messages: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [key, value] of Object.entries(messages)) {
    if (value && typeof value === 'object') for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v)
    else out.set(`${prefix}${key}`, value)
  }
  return out
}

const placeholders = (message: string): string[] => [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort()

const english = leaves(en)
const translations = { 'zh-CN': leaves(zhCN), de: leaves(de) }

describe('the locale files', () => {
  for (const [name, messages] of Object.entries(translations)) {
    it(`${name} has exactly English's keys`, () => {
      expect([...messages.keys()].filter((k) => !english.has(k)), 'keys English does not have').toEqual([])
      expect([...english.keys()].filter((k) => !messages.has(k)), 'keys missing').toEqual([])
    })

    it(`${name} has no empty message and the same placeholders as English`, () => {
      const wrong: string[] = []
      for (const [key, message] of messages) {
        if (typeof message !== 'string' || message.trim() === '') wrong.push(`${key}: empty`)
        else if (placeholders(message).join() !== placeholders(english.get(key) as string).join()) wrong.push(`${key}: {${placeholders(message).join('} {')}} against English's {${placeholders(english.get(key) as string).join('} {')}}`)
      }
      expect(wrong).toEqual([])
    })
  }

  it('has no empty English message, and every message of every language compiles', () => {
    const broken: string[] = []
    for (const [name, messages] of Object.entries({ en: english, ...translations })) {
      for (const [key, message] of messages) {
        if (typeof message !== 'string' || message.trim() === '') {
          broken.push(`${name} ${key}: empty`)
          continue
        }
        baseCompile(message, { onError: (err) => broken.push(`${name} ${key}: ${err.message}`) })
      }
    }
    expect(broken).toEqual([])
  })

  it('the check fails on a missing key and on a dropped placeholder', () => {
    const cut = leaves({ ...de, settings: { ...de.settings, title: undefined } })
    expect([...english.keys()].filter((k) => cut.get(k) === undefined)).toEqual(['settings.title'])
    expect(placeholders('Ordner {name}').join()).not.toBe(placeholders(english.get('profiles.folder') as string).join())
  })
})

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)))
    else if (/\.(ts|vue)$/.test(entry.name)) out.push(path)
  }
  return out
}

describe('keys used in the renderer', () => {
  it('every t() with a literal key names a key English has', async () => {
    const unknown: string[] = []
    for (const file of await sourceFiles(RENDERER)) {
      const text = await readFile(file, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) if (!english.has(m[1])) unknown.push(`${file.slice(RENDERER.length + 1)}: ${m[1]}`)
    }
    expect(unknown).toEqual([])
  })
})

describe('choosing the language', () => {
  it('takes the first of the OS languages we ship, by tag or by language, else English', () => {
    expect(resolveLocale('system', ['fr-FR', 'de-AT', 'en-US'])).toBe('de')
    expect(resolveLocale('system', ['zh-Hans-SG'])).toBe('zh-CN')
    expect(resolveLocale('system', ['zh-TW', 'en-GB'])).toBe('en')
    expect(resolveLocale('system', ['fr', 'ja'])).toBe('en')
    expect(resolveLocale('system', [])).toBe('en')
    expect(resolveLocale('de', ['zh-CN'])).toBe('de')
    expect(matchLocale('ZH-cn')).toBe('zh-CN')
    expect(matchLocale('de_CH')).toBe('de')
  })
})
