/**
 * The `tree.*` methods: views per window, topic history, retained deletions, broker statistics,
 * answered by the tree engine (tree-manager.ts).
 */
import { ApiError, isOfflineConnectionId, type ServiceHandlers } from '../../api'
import { brokerStats } from './broker-stats'
import type { TreeManager } from './tree-manager'
import { countRetained, historyEntries } from './tree-queries'
import type { TreeView } from './tree-view'

type TreeMethod = Extract<keyof ServiceHandlers, `tree.${string}`>

/** The tree feature's slice of the contract. */
export function treeService(trees: TreeManager): Pick<ServiceHandlers, TreeMethod> {
  const ok = { ok: true } as const
  return {
    'tree.view.open': async (params, context) => trees.openView(params, context),
    'tree.view.close': async ({ viewId }, context) => {
      trees.closeOwnView(viewId, context)
      return { closed: true }
    },
    'tree.view.snapshot': async ({ viewId }, context) => {
      const view = trees.view(viewId, context)
      view.requestSnapshot()
      return view.frame(true) as NonNullable<ReturnType<TreeView['frame']>>
    },
    'tree.view.window': async ({ viewId, window }, context) => (trees.view(viewId, context).setWindow(window), ok),
    'tree.view.expand': async ({ viewId, path, action, depth }, context) => {
      const view = trees.view(viewId, context)
      if (action === 'expand') view.expand(path)
      else if (action === 'collapse') view.collapse(path)
      else if (action === 'toggle') view.toggle(path)
      else view.expandSubtree(path, depth)
      return ok
    },
    'tree.view.expandToDepth': async ({ viewId, depth }, context) => (trees.view(viewId, context).expandToDepth(depth), ok),
    'tree.view.select': async ({ viewId, path }, context) => (trees.view(viewId, context).select(path), ok),
    'tree.view.filter': async ({ viewId, filter }, context) => (trees.view(viewId, context).setFilter(filter), ok),
    'tree.view.sort': async ({ viewId, sort }, context) => (trees.view(viewId, context).setSort(sort), ok),
    'tree.view.pause': async ({ viewId, paused }, context) => (trees.view(viewId, context).setPaused(paused), ok),
    'tree.view.find': async ({ viewId, prefix, after }, context) => {
      const hit = trees.view(viewId, context).find(prefix, after)
      return { index: hit?.index ?? null, path: hit?.path ?? null }
    },
    'tree.topic.history': async ({ connectionId, path, offset, limit, maxPayloadBytes, search }) =>
      historyEntries(trees.treeOf(connectionId)?.get(path), offset, limit, maxPayloadBytes, search),
    'tree.retained.count': async ({ connectionId, path, subtree }) => ({ count: countRetained(trees.treeOf(connectionId)?.get(path), subtree) }),
    'tree.retained.delete': async ({ connectionId, path, subtree }) => {
      if (isOfflineConnectionId(connectionId)) throw new ApiError('OFFLINE_READ_ONLY', 'This is a recording opened offline: there is no broker to delete its retained messages from.')
      return trees.startDeletion(connectionId, path, subtree)
    },
    'tree.retained.cancel': async ({ jobId }) => trees.cancelDeletion(jobId),
    'tree.clear': async ({ connectionId }) => {
      // An offline tree is the state at its timeline's position: emptying it would show a state that never was.
      if (isOfflineConnectionId(connectionId)) throw new ApiError('OFFLINE_READ_ONLY', 'This tree shows a recording at its timeline’s position: seek to the start instead of clearing it.')
      trees.clear(connectionId)
      return { cleared: true }
    },
    'tree.stats': async ({ connectionId }) => brokerStats(connectionId, trees.treeOf(connectionId)?.get('$SYS')),
  }
}
