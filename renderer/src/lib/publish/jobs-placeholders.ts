/**
 * Which placeholders a message uses, so a template or a repeat job can show what it will render
 * before it is sent. The main side renders them; this only finds them, with the same spelling.
 */
import type { OutgoingMessage } from '@api'
import { t } from '../i18n'

/** Placeholder names the main side renders (`{{random a b}}` takes two numbers). */
export const PLACEHOLDER_NAMES = ['now', 'iso', 'uuid', 'counter', 'random'] as const

/**
 * What each placeholder becomes, in the words the UI shows next to it. Getters, so a render
 * that reads one reads it in the language on screen then (and re-renders when it changes).
 */
export const PLACEHOLDER_HELP: Readonly<Record<(typeof PLACEHOLDER_NAMES)[number], string>> = {
  get now() {
    return t('publish.placeholderHelp.now')
  },
  get iso() {
    return t('publish.placeholderHelp.iso')
  },
  get uuid() {
    return t('publish.placeholderHelp.uuid')
  },
  get counter() {
    return t('publish.placeholderHelp.counter')
  },
  get random() {
    return t('publish.placeholderHelp.random')
  },
}

const PATTERN = /\{\{\s*(now|iso|uuid|counter|random\s+-?\d+(?:\.\d+)?\s+-?\d+(?:\.\d+)?)\s*\}\}/g

/** The placeholders in a piece of text, each once, in order of first use, as written (`{{random 0 100}}`). */
export function placeholdersInText(text: string): string[] {
  const seen = new Set<string>()
  for (const match of text.matchAll(PATTERN)) seen.add(`{{${match[1]!.replace(/\s+/g, ' ')}}}`)
  return [...seen]
}

/**
 * The placeholders a message renders: its topic always, its body unless the payload is a file
 * or placeholders are switched off for it (the main side leaves such bodies as they are).
 */
export function placeholdersIn(message: OutgoingMessage): string[] {
  const bodyRendered = message.payload.placeholders && message.payload.format !== 'file'
  return [...new Set([...placeholdersInText(message.topic), ...(bodyRendered ? placeholdersInText(message.payload.body) : [])])]
}

/** True when the topic changes from message to message (a repeat over a topic pattern). */
export function isTopicPattern(topic: string): boolean {
  return placeholdersInText(topic).length > 0
}
