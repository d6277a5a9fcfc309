/**
 * Topic completion for the publish editor: the topics the tree has seen under what the user
 * typed. The next level below the typed prefix comes first (names starting with the last,
 * unfinished level, in natural order), then deeper topics breadth first, so the list reads like
 * the tree one level at a time. Walks at most a bounded number of nodes. Pure.
 */
import { naturalCompare } from './natural-compare'
import { childNodes, childOf, pathOf, type TopicNode } from './topic-node'
import type { TopicTree } from './topic-tree'

export interface TopicCompletion {
  path: string
  hasChildren: boolean
  hasMessage: boolean
}

/** Nodes looked at per request at most (a broad prefix on a huge tree stays cheap). */
const MAX_VISITED = 20_000

export function completeTopics(tree: TopicTree, prefix: string, limit: number): TopicCompletion[] {
  const levels = prefix.split('/')
  const partial = levels.pop() ?? ''
  let parent: TopicNode | undefined = tree.root
  for (const level of levels) {
    parent = childOf(parent, level)
    if (parent === undefined) return []
  }
  const first = [...childNodes(parent)].filter((n) => n.name.startsWith(partial)).sort((a, b) => naturalCompare(a.name, b.name))
  const out: TopicCompletion[] = []
  let queue = first
  let visited = 0
  while (queue.length > 0 && out.length < limit && visited < MAX_VISITED) {
    const next: TopicNode[] = []
    for (const node of queue) {
      if (out.length >= limit || ++visited > MAX_VISITED) break
      const hasChildren = node.children !== null
      const hasMessage = node.ownCount > 0
      out.push({ path: pathOf(node), hasChildren, hasMessage })
      if (hasChildren) next.push(...[...childNodes(node)].sort((a, b) => naturalCompare(a.name, b.name)))
    }
    queue = next
  }
  return out
}
