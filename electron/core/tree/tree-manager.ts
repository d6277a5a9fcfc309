/**
 * The tree feature's engine: glue between the connections, the per-connection topic trees and
 * the per-window views. Its `tree.*` methods are in service.ts.
 *
 * - One TopicTree per connection: created on its first message (or when a view opens on it),
 *   kept after a disconnect so the user can still browse it, dropped by `tree.clear` (emptied)
 *   or when the profile is deleted (`dropConnection`).
 * - One ViewManager per tree while views are open; each view belongs to the window (peer) that
 *   opened it, and its frames go to that window only.
 * - Retained deletions run as jobs (retained-delete.ts); broker statistics are read from `$SYS`
 *   and pushed at most every STATS_INTERVAL_MS when they changed.
 */
import { randomUUID } from 'node:crypto'
import type { IPublishPacket } from 'mqtt'
import { ApiError, type CallContext, type EventName, type EventPayloads, type TreeDeleteProgress, type ValidParams, type WordedPreview } from '../../api'
import { DEFAULT_SETTINGS, type TreeSettings } from '../../api/settings'
import { brokerStats } from './broker-stats'
import type { HistoryLimits } from './history'
import { RetainedDeleteJob } from './retained-delete'
import { completeTopics, type TopicCompletion } from './topic-completion'
import { TopicTree } from './topic-tree'
import { retainedTopics } from './tree-queries'
import { historyOf } from './rows'
import { payloadOf, type StoredMessage } from './topic-node'
import type { TreeView } from './tree-view'
import type { UndoneMessage } from './undo-log'
import { ViewManager } from './view-manager'

/** Broker statistics are pushed at most this often (and only when `$SYS` changed). */
export const STATS_INTERVAL_MS = 2000
/** How long `tree.retained.cancel` waits for publishes in flight before answering. */
const CANCEL_WAIT_MS = 5000
/** A finished deletion (and its topic list) is forgotten this long after it ended. */
export const FINISHED_JOB_TTL_MS = 60_000

export interface TreeManagerOptions {
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
  emitTo: <E extends EventName>(peerId: string, name: E, payload: EventPayloads[E]) => void
  /** Publishes an empty retained QoS 1 message on a connection; resolves on the broker's PUBACK. */
  publishEmptyRetained?: (connectionId: string, topic: string) => Promise<void>
  /** Limits for new trees (apply later changes with applySettings). */
  settings?: TreeSettings
  statsIntervalMs?: number
  /** See FINISHED_JOB_TTL_MS (tests shorten it). */
  finishedJobTtlMs?: number
  /**
   * A decoded one-line preview for a row (the inspector's decoder rules), or null for the raw
   * preview. Called only for the rows a frame sends; must return null fast for most topics.
   */
  previewFor?: (connectionId: string, path: string, payload: Buffer, properties: Record<string, unknown> | undefined) => string | WordedPreview | null
  /**
   * History limits of one connection's tree, from the settings' (a recording opened offline keeps
   * less in memory: its file holds every message). Default: the settings' limits.
   */
  limitsFor?: (connectionId: string, limits: HistoryLimits) => HistoryLimits
  /** How many of a connection's last messages its tree can take back (undo), 0 for none (live connections). */
  undoStepsFor?: (connectionId: string) => number
}

interface TreeEntry {
  connectionId: string
  tree: TopicTree
  views: ViewManager | null
  /** `$SYS` node id and generation at the last stats push. */
  statsMark: string
}

interface ViewRef {
  entry: TreeEntry
  peerId: string
}

export class TreeManager {
  private readonly trees = new Map<string, TreeEntry>()
  private readonly views = new Map<string, ViewRef>()
  private readonly jobs = new Map<string, { connectionId: string; job: RetainedDeleteJob }>()
  private settings: TreeSettings
  private readonly statsTimer: ReturnType<typeof setInterval>

  constructor(private readonly options: TreeManagerOptions) {
    this.settings = options.settings ?? DEFAULT_SETTINGS.tree
    this.statsTimer = setInterval(() => this.pushStats(), options.statsIntervalMs ?? STATS_INTERVAL_MS)
    this.statsTimer.unref?.()
  }

  /** The connection engine's message tap (hot path): O(topic depth), no copies beyond storage. */
  readonly onMessage = (connectionId: string, topic: string, payload: Buffer, packet: IPublishPacket, time = Date.now()): void => {
    const entry = this.trees.get(connectionId) ?? this.entry(connectionId)
    // The packet already has MessageMeta's shape (qos, retain, properties): pass it on rather than
    // allocating a copy per message. insert() reads those fields and keeps nothing else.
    entry.tree.insert(topic, payload, packet, time)
  }

  private limitsOf(connectionId: string, settings: TreeSettings): HistoryLimits {
    const limits = historyLimits(settings)
    return this.options.limitsFor?.(connectionId, limits) ?? limits
  }

  /** The tree of a connection, if it has one (tests and benchmarks look inside). */
  treeOf(connectionId: string): TopicTree | undefined {
    return this.trees.get(connectionId)?.tree
  }

  /**
   * Stored messages of one topic, newest first (index 0 = the latest), for the inspector and the
   * charts; empty when the topic is not in the tree. The messages are the tree's own: read only.
   */
  storedMessages(connectionId: string, path: string, offset: number, limit: number): StoredMessage[] {
    const node = this.treeOf(connectionId)?.get(path)
    return node === undefined || !node.attached ? [] : historyOf(node, offset, limit)
  }

  /** Topics the connection's tree has seen under `prefix`, the next level first (publish completion). */
  completeTopics(connectionId: string, prefix: string, limit: number): TopicCompletion[] {
    const tree = this.treeOf(connectionId)
    return tree === undefined ? [] : completeTopics(tree, prefix, limit)
  }

  /** The latest stored payload of a topic (e.g. a Sparkplug BIRTH, for a DATA message's aliases). */
  latestPayload(connectionId: string, path: string): Buffer | undefined {
    const last = this.storedMessages(connectionId, path, 0, 1)[0]
    return last === undefined ? undefined : payloadOf(last)
  }

  /** New limits for every tree, applied at once (history shrinks if it must). */
  applySettings(settings: TreeSettings): void {
    this.settings = settings
    for (const entry of this.trees.values()) {
      const { tree } = entry
      tree.options.payloadCapBytes = settings.payloadCapBytes
      tree.history.setLimits(this.limitsOf(entry.connectionId, settings), tree.nodes())
      // The new limits changed history behind the undo log's back: it starts again.
      tree.recordUndo(this.options.undoStepsFor?.(entry.connectionId) ?? 0)
    }
  }

  /**
   * What `previewFor` answers changed (decoder rules or schema files): open views send their
   * rows again on the next frame, so the tree shows the new previews without waiting for messages.
   */
  previewsChanged(connectionId?: string): void {
    for (const entry of this.trees.values()) if (connectionId === undefined || entry.connectionId === connectionId) entry.views?.resendRows()
  }

  /** The profile is gone: forget its tree, views and deletions. */
  dropConnection(connectionId: string): void {
    const entry = this.trees.get(connectionId)
    if (entry === undefined) return
    for (const [viewId, ref] of this.views) if (ref.entry === entry) this.views.delete(viewId)
    entry.views?.dispose()
    for (const [jobId, { connectionId: id, job }] of this.jobs) {
      if (id !== connectionId) continue
      job.cancel()
      this.jobs.delete(jobId)
    }
    this.trees.delete(connectionId)
  }

  /** Opens a view for the window `context.peerId`; its frames go to that window only. */
  openView({ connectionId, window, sort, expanded, filter, selected }: ValidParams<'tree.view.open'>, context: CallContext) {
    const entry = this.entry(connectionId)
    const previewFor = this.options.previewFor
    const manager = (entry.views ??= new ViewManager({
      connectionId,
      tree: entry.tree,
      emit: (frame) => this.sendFrame(frame.viewId, frame),
      previewFor: previewFor && ((path, payload, properties) => previewFor(connectionId, path, payload, properties)),
    }))
    const frame = manager.open({ window, sort, expanded, selected, filter })
    this.views.set(frame.viewId, { entry, peerId: context.peerId })
    return frame
  }

  /** Closes the caller's view; another window's view is left alone. */
  closeOwnView(viewId: string, context: CallContext): void {
    if (this.ownedBy(viewId, context)) this.closeView(viewId)
  }

  /** The caller's view; another window's view is as good as closed to it. */
  view(viewId: string, context: CallContext): TreeView {
    const ref = this.views.get(viewId)
    const view = ref?.peerId === context.peerId ? ref.entry.views?.get(viewId) : undefined
    if (view === undefined) throw new ApiError('NOT_FOUND', 'That tree view is closed: reopen the connection’s tree.')
    return view
  }

  /** Cancels a deletion; answers with its final progress, or what it reached within CANCEL_WAIT_MS. */
  cancelDeletion(jobId: string): Promise<TreeDeleteProgress> {
    const found = this.jobs.get(jobId)
    if (found === undefined) throw new ApiError('NOT_FOUND', 'That deletion is no longer known (the profile was deleted or the app restarted).')
    found.job.cancel()
    const waited = new Promise<TreeDeleteProgress>((resolve) => setTimeout(() => resolve(found.job.progress()), CANCEL_WAIT_MS).unref?.())
    return Promise.race([found.job.finished, waited])
  }

  /**
   * Takes a connection's last `count` messages back out of its tree (TopicTree.undoLast), newest
   * first; returns those it took back, fewer than `count` when it had to stop (then the caller
   * rebuilds the tree).
   */
  undo(connectionId: string, count: number): UndoneMessage[] {
    const tree = this.trees.get(connectionId)?.tree
    const undone: UndoneMessage[] = []
    while (tree !== undefined && undone.length < count) {
      const back = tree.undoLast()
      if (back === null) break
      undone.push(back)
    }
    return undone
  }

  /** Puts a message undo() took back into the tree again, as it first came. */
  redo(connectionId: string, { topic, message }: UndoneMessage): void {
    this.entry(connectionId).tree.insert(topic, payloadOf(message), message, message.time)
  }

  /** Empties a connection's tree (its views show it empty). */
  clear(connectionId: string): void {
    this.trees.get(connectionId)?.tree.clear()
  }

  /** A window went away: drop its views. */
  peerDetached(peerId: string): void {
    for (const [viewId, ref] of this.views) if (ref.peerId === peerId) this.closeView(viewId)
  }

  close(): void {
    clearInterval(this.statsTimer)
    for (const { job } of this.jobs.values()) job.cancel()
    for (const entry of this.trees.values()) entry.views?.dispose()
    this.views.clear()
  }

  private entry(connectionId: string): TreeEntry {
    let entry = this.trees.get(connectionId)
    if (entry === undefined) {
      const s = this.settings
      entry = { connectionId, tree: new TopicTree({ payloadCapBytes: s.payloadCapBytes, history: this.limitsOf(connectionId, s) }), views: null, statsMark: 'none' }
      const undoSteps = this.options.undoStepsFor?.(connectionId) ?? 0
      if (undoSteps > 0) entry.tree.recordUndo(undoSteps)
      this.trees.set(connectionId, entry)
    }
    return entry
  }

  private ownedBy(viewId: string, context: CallContext): boolean {
    return this.views.get(viewId)?.peerId === context.peerId
  }

  private closeView(viewId: string): void {
    const ref = this.views.get(viewId)
    if (ref === undefined) return
    this.views.delete(viewId)
    const manager = ref.entry.views
    if (manager === null) return
    manager.close(viewId)
    // No views left: stop tracking changes so an unwatched tree costs nothing extra per message.
    if (manager.size === 0) {
      manager.dispose()
      ref.entry.views = null
    }
  }

  private sendFrame(viewId: string, frame: EventPayloads['tree.view']): void {
    const ref = this.views.get(viewId)
    if (ref !== undefined) this.options.emitTo(ref.peerId, 'tree.view', frame)
  }

  /** Starts deleting the retained messages at `path` (and below it with `subtree`) as a job. */
  startDeletion(connectionId: string, path: string, subtree: boolean): TreeDeleteProgress {
    const publish = this.options.publishEmptyRetained
    if (publish === undefined) throw new ApiError('INTERNAL', 'Deleting retained messages is not available in this build.')
    const topics = retainedTopics(this.trees.get(connectionId)?.tree.get(path), subtree)
    const jobId = randomUUID()
    const job = new RetainedDeleteJob({
      connectionId,
      jobId,
      path,
      topics,
      publish: (topic) => publish(connectionId, topic),
      onProgress: (progress) => this.options.emit('tree.deleteProgress', progress),
    })
    this.jobs.set(jobId, { connectionId, job })
    // Kept a while after it ends, so a late cancel still gets the final count instead of NOT_FOUND.
    void job.finished.then(() => {
      const timer = setTimeout(() => this.jobs.delete(jobId), this.options.finishedJobTtlMs ?? FINISHED_JOB_TTL_MS)
      timer.unref?.()
    })
    return job.progress()
  }

  private pushStats(): void {
    for (const entry of this.trees.values()) {
      const sys = entry.tree.get('$SYS')
      const mark = sys === undefined ? 'none' : `${sys.id}:${sys.gen}`
      if (mark === entry.statsMark) continue
      entry.statsMark = mark
      this.options.emit('tree.stats', brokerStats(entry.connectionId, sys))
    }
  }
}

function historyLimits(s: TreeSettings): HistoryLimits {
  return { maxMessagesPerTopic: s.historyMessagesPerTopic, maxBytesPerTopic: s.historyBytesPerTopic, budgetBytes: s.historyBudgetBytes }
}
