/**
 * Which placeholders a message uses, so a template or a repeat job can show what it will render
 * before it is sent. The main side renders them; this only finds them, with the same spelling.
 */
import type { OutgoingMessage } from '@api'

/** Placeholder names the main side renders (`{{random a b}}` takes two numbers). */
export const PLACEHOLDER_NAMES = ['now', 'iso', 'uuid', 'counter', 'random'] as const

/** What each placeholder becomes, in the words the UI shows next to it. */
export const PLACEHOLDER_HELP: Record<(typeof PLACEHOLDER_NAMES)[number], string> = {
  now: 'the time in ms since 1970',
  iso: 'the time as ISO 8601',
  uuid: 'a random UUID',
  counter: 'a number that goes up by one each message',
  random: 'a random whole number between the two bounds',
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
