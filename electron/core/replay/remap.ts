/**
 * Topic remapping for replay: the first rule that matches decides the new topic. A result that
 * could not be published (empty, or holding a wildcard) is refused rather than sent, because a
 * broker would drop the connection or silently ignore it.
 */
import type { RemapRule } from '../../api/recording'

/** A refusal names the recorded topic and, for a wildcard, what it remapped to, so the warning can be translated. */
export type RemapResult = { ok: true; topic: string } | { ok: false; reason: string; topic: string; remapped?: string }

/** Compiles the rules once (a regex per message would be compiled per message otherwise). */
export function compileRemap(rules: readonly RemapRule[]): (topic: string) => RemapResult {
  const compiled = rules.map((rule) =>
    rule.kind === 'prefix'
      ? (t: string) => (t.startsWith(rule.from) ? rule.to + t.slice(rule.from.length) : null)
      : ((re: RegExp) => (t: string) => (re.test(t) ? t.replace(re, rule.replacement) : null))(new RegExp(rule.pattern)),
  )
  return (topic) => {
    let out = topic
    for (const apply of compiled) {
      const mapped = apply(topic)
      if (mapped !== null) {
        out = mapped
        break
      }
    }
    if (out === '') return { ok: false, reason: `"${topic}" remaps to an empty topic`, topic }
    if (out.includes('+') || out.includes('#')) return { ok: false, reason: `"${topic}" remaps to "${out}", which holds a wildcard`, topic, remapped: out }
    return { ok: true, topic: out }
  }
}
