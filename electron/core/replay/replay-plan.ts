/**
 * What a replay does to each recorded message before it is sent: the topic remap, the QoS and
 * retain overrides, the MQTT 5 properties. One function decides it for the dry run and the real
 * run, so what a dry run lists is what a run sends.
 */
import type { IClientPublishOptions } from 'mqtt'
import type { z } from 'zod'
import { ApiError, type Qos, type ReplayOptions } from '../../api'
import { publishProperties, type RecordedMessage } from '../recording/format'
import { compileRemap } from './remap'

/** Replay options after the contract's validation (defaults applied). */
export type ReplayInput = z.output<typeof ReplayOptions>

export type PlannedMessage =
  | { ok: true; topic: string; qos: Qos; retain: boolean; remapped: boolean }
  /** The remap gave a topic that cannot be published: the message is skipped, with why. */
  | { ok: false; reason: string; topic: string; remapped?: string }

export interface ReplayPlan {
  plan(message: RecordedMessage): PlannedMessage
  /** mqtt.js publish options for a planned message; properties only on an MQTT 5 target. */
  publishOptions(message: RecordedMessage, planned: { qos: Qos; retain: boolean }, v5: boolean): Readonly<IClientPublishOptions>
}

/**
 * The options of a message without properties, one object per QoS and retain (mqtt.js copies
 * what it is given): as fast as possible, an object per message is garbage at 50,000 a second.
 */
const PLAIN_OPTIONS: Readonly<IClientPublishOptions>[] = [0, 1, 2].flatMap((qos) => [false, true].map((retain) => Object.freeze({ qos: qos as Qos, retain })))

export function compilePlan(options: Pick<ReplayInput, 'remap' | 'qos' | 'retain'>): ReplayPlan {
  const remap = options.remap.length > 0 ? compileRules(options.remap) : null
  const keepRetain = options.retain === 'keep'
  return {
    plan(message) {
      let topic = message.topic
      if (remap) {
        const result = remap(message.topic)
        if (!result.ok) return result
        topic = result.topic
      }
      return { ok: true, topic, qos: options.qos ?? message.qos, retain: keepRetain && message.retain, remapped: topic !== message.topic }
    },
    publishOptions(message, planned, v5) {
      // Subscription identifiers and topic aliases never leave: publishProperties drops them.
      const properties = v5 ? publishProperties(message.properties) : undefined
      if (!properties) return PLAIN_OPTIONS[planned.qos * 2 + (planned.retain ? 1 : 0)]
      return { qos: planned.qos, retain: planned.retain, properties }
    },
  }
}

/** The rules compiled, or a sentence naming the rule whose pattern is not a regular expression. */
function compileRules(rules: ReplayInput['remap']): ReturnType<typeof compileRemap> {
  rules.forEach((rule, i) => {
    if (rule.kind !== 'regex') return
    try {
      new RegExp(rule.pattern)
    } catch (err) {
      throw new ApiError('BAD_REQUEST', `Remap rule ${i + 1} is not a valid regular expression (/${rule.pattern}/: ${err instanceof Error ? (err.message.split(': ').pop() ?? err.message).toLowerCase() : String(err)}): correct the pattern.`, { rule: i })
    }
  })
  return compileRemap(rules)
}
