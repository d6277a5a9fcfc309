/**
 * An offline recording's tree keeps a capped history budget (its file holds every message), a
 * live connection's tree keeps the settings' — also after the settings change.
 */
import type { IPublishPacket } from 'mqtt'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../electron/api/settings'
import { isOfflineConnectionId } from '../../electron/api'
import { OFFLINE_HISTORY_BUDGET_BYTES, offlineHistoryLimits } from '../../electron/core/offline/history-limits'
import { TreeManager } from '../../electron/core/tree/tree-manager'

const packet = { cmd: 'publish', qos: 0, retain: false, dup: false } as IPublishPacket

describe('offline history limits', () => {
  it('caps the budget of offline trees only, through settings changes', () => {
    const trees = new TreeManager({ emit: () => {}, emitTo: () => {}, limitsFor: (id, limits) => (isOfflineConnectionId(id) ? offlineHistoryLimits(limits) : limits) })
    trees.onMessage('live-1', 'a/b', Buffer.from('1'), packet)
    trees.onMessage('offline:rec-1', 'a/b', Buffer.from('1'), packet)
    expect(trees.treeOf('live-1')!.history.limits.budgetBytes).toBe(DEFAULT_SETTINGS.tree.historyBudgetBytes)
    expect(trees.treeOf('offline:rec-1')!.history.limits.budgetBytes).toBe(OFFLINE_HISTORY_BUDGET_BYTES)
    trees.applySettings({ ...DEFAULT_SETTINGS.tree, historyBudgetBytes: 1024 * 1024 * 1024, historyMessagesPerTopic: 7 })
    expect(trees.treeOf('live-1')!.history.limits.budgetBytes).toBe(1024 * 1024 * 1024)
    expect(trees.treeOf('offline:rec-1')!.history.limits).toMatchObject({ budgetBytes: OFFLINE_HISTORY_BUDGET_BYTES, maxMessagesPerTopic: 7 })
    // A budget below the cap is the user's choice, kept.
    trees.applySettings({ ...DEFAULT_SETTINGS.tree, historyBudgetBytes: 8 * 1024 * 1024 })
    expect(trees.treeOf('offline:rec-1')!.history.limits.budgetBytes).toBe(8 * 1024 * 1024)
    trees.close()
  })
})
