/**
 * The message each connection's publish editor is writing. Anything that fills the editor (a
 * template, a publish-history entry, "Edit and publish" in the inspector) calls `setDraft`; the
 * editor reads `draftFor` and writes back with `setDraft` as the user types. Kept per connection
 * for the window's lifetime (not persisted: templates and the history are the persisted forms).
 */
import { defineStore } from 'pinia'
import { reactive } from 'vue'
import type { OutgoingMessage } from '@api'

/** A new, empty message. */
export function emptyMessage(): OutgoingMessage {
  return {
    topic: '',
    payload: { format: 'text', body: '', gzip: false, placeholders: true },
    qos: 0,
    retain: false,
    properties: { userProperties: [] },
  }
}

export interface DraftState {
  message: OutgoingMessage
  /** Where the draft came from, shown above the editor (e.g. "From template “Reboot”"). */
  origin?: string
  /** The template it was loaded from: publishing advances that template's `{{counter}}`. */
  templateId?: string
  /** Bumped on every `setDraft` from outside the editor, so the editor reloads its text. */
  revision: number
}

export const usePublishDraftStore = defineStore('publishDraft', () => {
  const drafts = reactive(new Map<string, DraftState>())

  /** The connection's draft (an empty one first). */
  function draftFor(connectionId: string): DraftState {
    let state = drafts.get(connectionId)
    if (state === undefined) {
      drafts.set(connectionId, { message: emptyMessage(), revision: 0 })
      state = drafts.get(connectionId)!
    }
    return state
  }

  /** Replaces the connection's draft from outside the editor (template, history, inspector). */
  function setDraft(connectionId: string, message: OutgoingMessage, extra: { origin?: string; templateId?: string } = {}): void {
    const previous = drafts.get(connectionId)
    drafts.set(connectionId, { message, origin: extra.origin, templateId: extra.templateId, revision: (previous?.revision ?? 0) + 1 })
  }

  /** The editor's own edits: keeps origin and revision (the editor already shows this text). */
  function updateDraft(connectionId: string, message: OutgoingMessage): void {
    const state = draftFor(connectionId)
    state.message = message
  }

  /** Bumped per connection when something asks for the editor to be shown ("Edit and publish"). */
  const editorRequests = reactive(new Map<string, number>())

  /** Asks the connection's publish panel to show the editor (and bring it into view). */
  function showEditor(connectionId: string): void {
    editorRequests.set(connectionId, (editorRequests.get(connectionId) ?? 0) + 1)
  }

  /** How often the editor was asked for; a panel watches this to switch to its editor. */
  function editorRequestsFor(connectionId: string): number {
    return editorRequests.get(connectionId) ?? 0
  }

  /** Connections whose editor is asked to publish its draft (the publish command); the editor takes the request. */
  const publishRequests = reactive(new Set<string>())

  /** Asks the connection's editor to publish what it holds, through its own checks; shows the editor first. */
  function requestPublish(connectionId: string): void {
    publishRequests.add(connectionId)
    showEditor(connectionId)
  }

  /** Takes a pending publish request for the connection (true once per request). */
  function takePublishRequest(connectionId: string): boolean {
    return publishRequests.delete(connectionId)
  }

  /** Forgets where the draft came from (the user dismissed the note); keeps the message. */
  function clearOrigin(connectionId: string): void {
    const state = draftFor(connectionId)
    state.origin = undefined
    state.templateId = undefined
  }

  return { draftFor, setDraft, updateDraft, showEditor, editorRequestsFor, clearOrigin, publishRequests, requestPublish, takePublishRequest }
})
