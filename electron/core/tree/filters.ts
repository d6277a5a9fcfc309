/**
 * Tree filters: substring, regular expression or MQTT filter syntax, on topic paths and
 * optionally on payload text. A filter's result is the set of matching topics plus their
 * ancestors. Scans run in time slices with setImmediate between them and can be cancelled, so a
 * million topics never block the event loop for more than one slice.
 */
import { notice, type Notice } from '../../api/notices'
import type { TreeFilterSpec } from '../../api/tree'
import type { TopicTree } from './topic-tree'
import { childCount, childNodes, hasLast, lastPayloadOf, pathOf, type TopicNode } from './topic-node'

/** Payload bytes a payload filter looks at per topic. */
export const PAYLOAD_MATCH_BYTES = 64 * 1024
/** Longest a scan runs before yielding to the event loop. */
export const SCAN_SLICE_MS = 8

export interface CompiledFilter {
  spec: TreeFilterSpec
  /** True when this topic matches (path, and payload text where asked). */
  test(node: TopicNode): boolean
  /** The filter looks at payloads, so a new message can change a topic's match. */
  readonly usesPayload: boolean
}

export type CompileResult = { ok: true; filter: CompiledFilter } | { ok: false; error: string; notice: Notice }

/** Compiles a filter; an invalid one yields a sentence for the user, never a throw. */
export function compileFilter(spec: TreeFilterSpec): CompileResult {
  if (spec.mode === 'mqtt') {
    const levels = spec.text.split('/')
    const problem = mqttFilterProblem(levels)
    if (problem !== null) return { ok: false, error: problem, notice: notice(problem === HASH_RULE ? 'TREE_FILTER_HASH' : 'TREE_FILTER_PLUS', problem) }
    return { ok: true, filter: { spec, usesPayload: false, test: (node) => matchesMqttFilter(levels, pathOf(node)) } }
  }
  let pattern: RegExp
  try {
    const source = spec.mode === 'regex' ? spec.text : escapeRegExp(spec.text)
    pattern = new RegExp(source, spec.caseSensitive ? '' : 'i')
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err)
    const error = `That is not a valid regular expression (${reason}); fix it or switch the filter to plain text.`
    return { ok: false, error, notice: notice('TREE_FILTER_REGEX_INVALID', error, { reason }) }
  }
  const usesPayload = spec.matchPayload
  const test = usesPayload
    ? (node: TopicNode) => pattern.test(pathOf(node)) || (hasLast(node) && pattern.test(payloadText(node)))
    : (node: TopicNode) => pattern.test(pathOf(node))
  return { ok: true, filter: { spec, usesPayload, test } }
}

const HASH_RULE = "In an MQTT filter '#' must be a whole level and the last one, as in 'sensors/#'."
const PLUS_RULE = "In an MQTT filter '+' must be a whole level, as in 'sensors/+/temp'."

/** Why a list of MQTT filter levels is invalid, or null (MQTT 5 spec 4.7.1). */
export function mqttFilterProblem(levels: string[]): string | null {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return HASH_RULE
    }
    if (level.includes('+') && level !== '+') return PLUS_RULE
  }
  return null
}

/**
 * MQTT topic matching without splitting the topic: '+' is one level (possibly empty), '#' the
 * rest including the parent level itself ('a/#' matches 'a'), and a filter starting with a
 * wildcard never matches a topic starting with '$' (spec 4.7.2).
 */
export function matchesMqttFilter(levels: string[], topic: string): boolean {
  const first = levels[0]
  if ((first === '+' || first === '#') && topic.charCodeAt(0) === 0x24) return false
  let pos = 0
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]
    if (level === '#') return true
    if (pos > topic.length) return false
    let end = topic.indexOf('/', pos)
    if (end === -1) end = topic.length
    if (level !== '+' && (end - pos !== level.length || !topic.startsWith(level, pos))) return false
    pos = end + 1
  }
  return pos === topic.length + 1
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The latest payload's text, read from the tree's columns (a scan makes no StoredMessage per topic). */
function payloadText(node: TopicNode): string {
  const payload = lastPayloadOf(node) as Buffer
  return payload.toString('utf8', 0, Math.min(payload.length, PAYLOAD_MATCH_BYTES))
}

/**
 * The result of one filter over one tree: `visible` maps every matching topic to true and every
 * ancestor shown only for its descendants to false. Topics that arrive later are added by
 * `consider`. A topic that stops matching its payload filter leaves `visible` but its ancestors
 * stay until the filter is applied again (cheap, and a branch does not flicker away).
 */
export class FilterScan {
  readonly visible = new Map<TopicNode, boolean>()
  matched = 0
  scanned = 0
  state: 'running' | 'done' | 'cancelled' = 'running'
  /** Wall-clock ms from start to done. */
  elapsedMs = 0
  private readonly startedAt = performance.now()

  constructor(
    readonly tree: TopicTree,
    readonly filter: CompiledFilter,
  ) {}

  /** Scans every topic in slices; resolves when done or cancelled. `onSlice` runs after each slice. */
  async run(onSlice?: () => void): Promise<void> {
    const nodes = this.tree.nodes()
    for (;;) {
      if (this.state !== 'running') return
      const sliceEnd = performance.now() + SCAN_SLICE_MS
      let finished = false
      for (let i = 0; ; i++) {
        const next = nodes.next()
        if (next.done === true) {
          finished = true
          break
        }
        const node = next.value
        if (node.ownCount > 0) {
          this.scanned++
          if (this.filter.test(node)) this.addMatch(node)
        }
        // performance.now() costs ~50 ns; look at the clock every 512 topics only.
        if ((i & 511) === 511 && performance.now() >= sliceEnd) break
      }
      if (finished) {
        this.state = 'done'
        this.elapsedMs = performance.now() - this.startedAt
        onSlice?.()
        return
      }
      onSlice?.()
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  cancel(): void {
    if (this.state === 'running') this.state = 'cancelled'
  }

  /** Re-tests one topic (a new topic, or new payload under a payload filter); true if it changed. */
  consider(node: TopicNode): boolean {
    if (!node.attached || node.ownCount === 0) return false
    const matches = this.filter.test(node)
    const was = this.visible.get(node) === true
    if (matches && !was) this.addMatch(node)
    else if (!matches && was) {
      this.matched--
      if (childCount(node) > 0) this.visible.set(node, false)
      else this.visible.delete(node)
    } else return false
    return true
  }

  /** Forgets a removed subtree. */
  forget(node: TopicNode): void {
    const stack = [node]
    while (stack.length > 0) {
      const n = stack.pop() as TopicNode
      if (this.visible.get(n) === true) this.matched--
      this.visible.delete(n)
      for (const c of childNodes(n)) stack.push(c)
    }
  }

  private addMatch(node: TopicNode): void {
    if (this.visible.get(node) === true) return
    this.visible.set(node, true)
    this.matched++
    for (let p = node.parent; p !== null && p.parent !== null && !this.visible.has(p); p = p.parent) this.visible.set(p, false)
  }
}
