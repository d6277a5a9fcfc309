/**
 * `{{…}}` placeholders, rendered at publish time in the topic and the body: `{{now}}` (epoch
 * ms), `{{iso}}` (ISO 8601 of the same instant), `{{uuid}}` (v4), `{{counter}}`, and
 * `{{random a b}}` (an integer in [a, b] when both bounds are integers, else a float in
 * [a, b)). Spaces inside the braces are allowed. Anything else in double braces — a typo like
 * `{{nwo}}`, a malformed `{{random x}}` — is left as written and listed in `unrecognized`, so
 * the editor can point at it; a payload that is itself a template language (Mustache) still
 * publishes.
 */
import { randomUUID } from 'node:crypto'

/** What one rendering of `{{…}}` placeholders may use; injected so tests and repeat jobs control it. */
export interface PlaceholderValues {
  /** Epoch ms. */
  now: () => number
  uuid: () => string
  /** The value `{{counter}}` renders to for this message. */
  counter: number
  /** A float in [min, max) (integers are made from it: see renderPlaceholders). */
  random: (min: number, max: number) => number
}

/** The real clock, crypto UUIDs and Math.random, with `counter` as given. */
export function defaultPlaceholderValues(counter: number): PlaceholderValues {
  return { now: Date.now, uuid: randomUUID, counter, random: (min, max) => min + Math.random() * (max - min) }
}

export interface RenderedPlaceholders {
  text: string
  /** True when at least one placeholder was rendered (a template's counter then advances). */
  used: boolean
  /** Double-brace expressions that are not placeholders, as written (at most 20). */
  unrecognized: string[]
}

const PLACEHOLDER = /\{\{([^{}]{0,64})\}\}/g
const NUMBER = /^-?\d+(?:\.\d+)?$/

function randomIn(values: PlaceholderValues, a: number, b: number, integers: boolean): string {
  const [min, max] = a <= b ? [a, b] : [b, a]
  if (!integers) return String(values.random(min, max))
  // floor of [min, max + 1) gives each integer of [min, max] the same chance; the clamp guards a
  // random() that returns its upper bound.
  return String(Math.min(max, Math.floor(values.random(min, max + 1))))
}

/** Renders the placeholders in `text`. Never throws; `now` is read once, so `{{now}}` and `{{iso}}` agree. */
export function renderPlaceholders(text: string, values: PlaceholderValues): RenderedPlaceholders {
  if (!text.includes('{{')) return { text, used: false, unrecognized: [] }
  let now: number | null = null
  const clock = () => (now ??= values.now())
  let used = false
  const unrecognized: string[] = []
  const out = text.replace(PLACEHOLDER, (whole: string, inner: string) => {
    const words = inner.trim().split(/\s+/)
    const name = words[0]
    let rendered: string | null = null
    if (words.length === 1) {
      if (name === 'now') rendered = String(clock())
      else if (name === 'iso') rendered = new Date(clock()).toISOString()
      else if (name === 'uuid') rendered = values.uuid()
      else if (name === 'counter') rendered = String(values.counter)
    } else if (name === 'random' && words.length === 3 && NUMBER.test(words[1]) && NUMBER.test(words[2])) {
      const integers = !words[1].includes('.') && !words[2].includes('.')
      rendered = randomIn(values, Number(words[1]), Number(words[2]), integers)
    }
    if (rendered === null) {
      if (unrecognized.length < 20) unrecognized.push(whole)
      return whole
    }
    used = true
    return rendered
  })
  return { text: out, used, unrecognized }
}
