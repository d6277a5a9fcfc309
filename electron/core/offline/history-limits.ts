/**
 * How much history an offline recording's tree keeps in memory. The file holds every message, so
 * the tree need not: a 1 GB recording opened with the live default (256 MB of payloads plus their
 * bookkeeping) took 640 MB of RSS. Per-topic limits stay the user's; only the budget is capped.
 */
import type { HistoryLimits } from '../tree/history'

export const OFFLINE_HISTORY_BUDGET_BYTES = 32 * 1024 * 1024

export function offlineHistoryLimits(limits: HistoryLimits): HistoryLimits {
  return { ...limits, budgetBytes: Math.min(limits.budgetBytes, OFFLINE_HISTORY_BUDGET_BYTES) }
}

/**
 * How many of its last messages an offline tree can take back (TopicTree.recordUndo), so a step
 * or seek back that far undoes them instead of re-reading the file from its start. Each costs a
 * small record and keeps the message it replaced alive: ~1 MB for this many in the 1 GB bench file.
 */
export const OFFLINE_UNDO_STEPS = 2_000
