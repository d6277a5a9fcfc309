import { describe, expect, it } from 'vitest'
import type { TreeFilterSpec } from '../../electron/api/tree'
import { compileFilter, FilterScan, matchesMqttFilter, mqttFilterProblem } from '../../electron/core/tree/filters'
import { TopicTree } from '../../electron/core/tree/topic-tree'
import { pathOf } from '../../electron/core/tree/topic-node'

const live = { qos: 0, retain: false } as const
const mqtt = (filter: string, topic: string) => matchesMqttFilter(filter.split('/'), topic)
const spec = (mode: TreeFilterSpec['mode'], text: string, extra: Partial<TreeFilterSpec> = {}): TreeFilterSpec => ({
  mode,
  text,
  matchPayload: false,
  caseSensitive: false,
  ...extra,
})

function treeOf(topics: Record<string, string>): TopicTree {
  const tree = new TopicTree()
  for (const [topic, payload] of Object.entries(topics)) tree.insert(topic, Buffer.from(payload), live)
  return tree
}

async function visiblePaths(tree: TopicTree, filter: TreeFilterSpec): Promise<string[]> {
  const compiled = compileFilter(filter)
  if (!compiled.ok) throw new Error(compiled.error)
  const scan = new FilterScan(tree, compiled.filter)
  await scan.run()
  return [...scan.visible.keys()].map((n) => pathOf(n)).sort()
}

describe('MQTT filter matching', () => {
  it.each([
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['#', 'anything/at/all', true],
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
    ['a/+', 'a/', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['+/+', '/finance', true],
    ['/+', '/finance', true],
    ['+', '/finance', false],
    ['a/+/#', 'a/b', true],
    ['a/+/#', 'a', false],
    ['a//b', 'a//b', true],
    ['a/+/b', 'a//b', true],
    ['a/b', 'a/b/c', false],
    ['sport/tennis/+', 'sport/tennis/player1', true],
  ])('%s against %s is %s', (filter, topic, expected) => {
    expect(mqtt(filter, topic)).toBe(expected)
  })

  it.each([['a/#/b'], ['a/b#'], ['a+/b'], ['#/a']])('refuses the invalid filter %s with a sentence', (text) => {
    expect(mqttFilterProblem(text.split('/'))).toMatch(/must be a whole level/)
    const compiled = compileFilter(spec('mqtt', text))
    expect(compiled.ok).toBe(false)
  })
})

describe('tree filters', () => {
  const topics = {
    'home/kitchen/Temperature': '21.5',
    'home/kitchen/humidity': '40',
    'home/garage/door': '{"state":"open"}',
    'office/temp': '19',
    '$SYS/broker/uptime': '100 seconds',
  }

  it('matches a substring ignoring case, with the ancestors of each match', async () => {
    expect(await visiblePaths(treeOf(topics), spec('substring', 'TEMP'))).toEqual([
      'home',
      'home/kitchen',
      'home/kitchen/Temperature',
      'office',
      'office/temp',
    ])
  })

  it('matches case-sensitively when asked', async () => {
    expect(await visiblePaths(treeOf(topics), spec('substring', 'Temp', { caseSensitive: true }))).toEqual([
      'home',
      'home/kitchen',
      'home/kitchen/Temperature',
    ])
  })

  it('treats regex characters in a substring literally', async () => {
    const tree = treeOf({ 'a/b.c': '1', 'a/bxc': '1' })
    expect(await visiblePaths(tree, spec('substring', 'b.c'))).toEqual(['a', 'a/b.c'])
  })

  it('matches a regular expression', async () => {
    expect(await visiblePaths(treeOf(topics), spec('regex', '^home/.*/(door|humidity)$'))).toEqual([
      'home',
      'home/garage',
      'home/garage/door',
      'home/kitchen',
      'home/kitchen/humidity',
    ])
  })

  it('reports an invalid regular expression as a sentence instead of throwing', () => {
    const compiled = compileFilter(spec('regex', 'temp(['))
    expect(compiled.ok).toBe(false)
    if (!compiled.ok) expect(compiled.error).toMatch(/not a valid regular expression/)
  })

  it('matches MQTT filter syntax, with # alone leaving out $ topics', async () => {
    expect(await visiblePaths(treeOf(topics), spec('mqtt', 'home/+/door'))).toEqual(['home', 'home/garage', 'home/garage/door'])
    const all = await visiblePaths(treeOf(topics), spec('mqtt', '#'))
    expect(all).not.toContain('$SYS/broker/uptime')
    expect(all).toContain('office/temp')
  })

  it('matches payload text when asked, and only then', async () => {
    expect(await visiblePaths(treeOf(topics), spec('substring', 'open'))).toEqual([])
    expect(await visiblePaths(treeOf(topics), spec('substring', 'open', { matchPayload: true }))).toEqual([
      'home',
      'home/garage',
      'home/garage/door',
    ])
  })

  it('scans a big tree in slices, yielding to the event loop between them', async () => {
    const tree = new TopicTree()
    for (let i = 0; i < 200_000; i++) tree.insert(`site/${i % 100}/device/${i}`, Buffer.from('1'), live)
    const compiled = compileFilter(spec('substring', 'device/1999'))
    if (!compiled.ok) throw new Error(compiled.error)
    const scan = new FilterScan(tree, compiled.filter)
    let slices = 0
    let ticksBetween = 0
    const ticker = setInterval(() => ticksBetween++, 0)
    await scan.run(() => slices++)
    clearInterval(ticker)
    expect(scan.state).toBe('done')
    expect(scan.matched).toBe(111) // 1999, 19990..19999 and 199900..199999
    expect(slices).toBeGreaterThan(1)
    expect(ticksBetween).toBeGreaterThan(0)
  })

  it('stops a scan that was cancelled because the user typed again', async () => {
    const tree = new TopicTree()
    for (let i = 0; i < 100_000; i++) tree.insert(`x/${i}`, Buffer.from('1'), live)
    const compiled = compileFilter(spec('substring', 'x'))
    if (!compiled.ok) throw new Error(compiled.error)
    const scan = new FilterScan(tree, compiled.filter)
    const done = scan.run(() => scan.cancel())
    await done
    expect(scan.state).toBe('cancelled')
    expect(scan.scanned).toBeLessThan(100_000)
  })

  it('adds topics that arrive after the scan and forgets removed ones', async () => {
    const tree = treeOf(topics)
    const compiled = compileFilter(spec('substring', 'temp'))
    if (!compiled.ok) throw new Error(compiled.error)
    const scan = new FilterScan(tree, compiled.filter)
    await scan.run()
    const node = tree.insert('garden/temp', Buffer.from('12'), live)!
    expect(scan.consider(node)).toBe(true)
    expect(scan.visible.get(tree.get('garden')!)).toBe(false)
    expect(scan.matched).toBe(3)
    const office = tree.get('office')!
    tree.delete('office')
    scan.forget(office)
    expect(scan.matched).toBe(2)
  })
})
