/**
 * Decoder rules per connection (profile id = connection id): the profile's rules with their
 * filters split once, so matching a topic costs no split per call. The first matching rule wins.
 * Refreshed from the profile store whenever profiles change; a connection without rules costs
 * one Map lookup, which is what the tree's previews pay on every row.
 */
import type { DecoderRule } from '../../api/inspect'
import type { Profile } from '../../api/profiles'
import { matchesMqttFilter } from '../tree/filters'

interface CompiledRule {
  rule: DecoderRule
  levels: string[]
}

export class RuleBook {
  private readonly byConnection = new Map<string, CompiledRule[]>()
  /** Bumped on every change, so caches of decoded results can tell a rule change. */
  generation = 0

  /** Takes every profile's rules; profiles without rules are left out (the fast path). */
  replaceAll(profiles: ReadonlyArray<Pick<Profile, 'id' | 'decoderRules'>>): void {
    this.byConnection.clear()
    for (const profile of profiles) this.set(profile.id, profile.decoderRules ?? [])
    this.generation++
  }

  /** Sets one connection's rules (an empty list removes them). */
  set(connectionId: string, rules: readonly DecoderRule[]): void {
    if (rules.length === 0) this.byConnection.delete(connectionId)
    else this.byConnection.set(connectionId, rules.map((rule) => ({ rule, levels: rule.filter.split('/') })))
    this.generation++
  }

  /** True when the connection has at least one rule. */
  has(connectionId: string): boolean {
    return this.byConnection.has(connectionId)
  }

  /** The connection's first rule whose filter matches `topic`, if any. */
  ruleFor(connectionId: string, topic: string): DecoderRule | undefined {
    const rules = this.byConnection.get(connectionId)
    if (rules === undefined) return undefined
    for (const { rule, levels } of rules) if (matchesMqttFilter(levels, topic)) return rule
    return undefined
  }
}
