/**
 * Live sessions, one per profile, as the main side reports them. Tabs follow this store: a
 * session appears when a connect starts and goes away once it is disconnected.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiErrorData, ConnectionState, ConnectionStatus, MethodParams, SessionSecrets, SubscriptionSpec } from '@api'
import { toErrorData } from '@api'
import { useApiContext } from '../api/use-api'

/** A status as the UI shows it: `unknown` while the backend that knows the truth is out of reach. */
export type ShownStatus = ConnectionStatus | 'unknown'

/** A publish as the form builds it; the store adds the connection. */
export type PublishInput = Omit<MethodParams<'connections.publish'>, 'connectionId'>

export const useConnectionsStore = defineStore('connections', () => {
  const { client: api, channel } = useApiContext()
  const states = ref<Record<string, ConnectionState>>({})
  /**
   * True from the moment contact with the backend is lost until a fresh list arrives: what we
   * hold is then only the last thing it said, and a broker may have gone away meanwhile (or the
   * backend itself restarted and holds no connection at all).
   */
  const stale = ref(channel.status !== 'open')
  channel.onStatus((status) => {
    if (status !== 'open') stale.value = true
  })
  /** Tab order: the order sessions were opened in. */
  const order = ref<string[]>([])
  const activeId = ref<string | null>(null)
  /** Errors a connect call threw before any session existed, by profile id. */
  const connectErrors = ref<Record<string, ApiErrorData>>({})

  /** The profile whose tab should come to front as soon as its session shows up. */
  let focusRequest: string | null = null
  /** The same by connection id, for sessions no profile starts (recordings opened offline). */
  let focusIdRequest: string | null = null

  /**
   * Counts every state applied, and remembers the count at each session's latest: a list answer
   * was computed when its request arrived, so it must not undo what a connect or a state event
   * applied after the request went out (a Connect clicked while the list is on its way).
   */
  let applied = 0
  const appliedAt = new Map<string, number>()

  api.on('connections.state', apply)
  // The desktop app opened a recording the OS handed it: its offline tab comes to front.
  api.on('offline.opened', (offline) => {
    focus(offline.connectionId)
    void load().catch(() => {})
  })

  function apply(state: ConnectionState): void {
    const id = state.connectionId
    appliedAt.set(id, ++applied)
    if (state.status === 'disconnected') {
      removeTab(id)
      return
    }
    states.value[id] = state
    if (!order.value.includes(id)) order.value.push(id)
    if (!activeId.value || focusRequest === state.profileId || focusIdRequest === id) {
      activeId.value = id
      focusRequest = null
      focusIdRequest = null
    }
  }

  /** Brings a session's tab to front now, or as soon as it is listed. */
  function focus(connectionId: string): void {
    if (states.value[connectionId]) activeId.value = connectionId
    else focusIdRequest = connectionId
  }

  function removeTab(id: string): void {
    const profileId = states.value[id]?.profileId
    // A closed tab takes its error with it; the next connect starts fresh.
    if (profileId) delete connectErrors.value[profileId]
    delete states.value[id]
    const i = order.value.indexOf(id)
    if (i >= 0) order.value.splice(i, 1)
    if (activeId.value === id) activeId.value = order.value[Math.min(i, order.value.length - 1)] ?? null
  }

  const tabs = computed(() => order.value.map((id) => states.value[id]).filter((s): s is ConnectionState => !!s))
  const active = computed(() => (activeId.value ? states.value[activeId.value] ?? null : null))

  /** The session for a profile, if any (a connection is identified by its profile). */
  function forProfile(profileId: string): ConnectionState | undefined {
    return Object.values(states.value).find((s) => s.profileId === profileId)
  }

  /** What a session's badge says: its status, or `unknown` while the backend is unreachable. */
  function shownStatus(state: ConnectionState | undefined): ShownStatus | undefined {
    if (!state) return undefined
    return stale.value ? 'unknown' : state.status
  }

  async function load(): Promise<void> {
    const asked = applied
    const list = await api.call('connections.list')
    const newer = (id: string) => (appliedAt.get(id) ?? 0) > asked
    const seen = new Set(list.map((s) => s.connectionId))
    for (const id of [...order.value]) if (!seen.has(id) && !newer(id)) removeTab(id)
    for (const s of list) if (!newer(s.connectionId)) apply(s)
    if (channel.status === 'open') stale.value = false
  }

  /** Starts a session and focuses its tab; errors come back as the tab's state or as a thrown ApiError. */
  async function connect(profileId: string, secrets: SessionSecrets): Promise<ConnectionState> {
    delete connectErrors.value[profileId]
    focusRequest = profileId
    try {
      const state = await api.call('connections.connect', { profileId, secrets })
      apply(state)
      activeId.value = state.connectionId
      return state
    } catch (err) {
      // A first attempt that fails may still leave a session (its tab shows the error); bring it
      // forward now, or when its state event arrives after this answer.
      const session = forProfile(profileId)
      if (session) activeId.value = session.connectionId
      connectErrors.value[profileId] = toErrorData(err)
      throw err
    }
  }

  async function disconnect(connectionId: string): Promise<void> {
    try {
      const state = await api.call('connections.disconnect', { connectionId })
      apply(state)
    } finally {
      // Whatever the backend said, the user asked for this tab to go away.
      removeTab(connectionId)
    }
  }

  async function subscribe(connectionId: string, subscription: SubscriptionSpec): Promise<void> {
    apply(await api.call('connections.subscribe', { connectionId, subscription }))
  }

  async function unsubscribe(connectionId: string, filter: string): Promise<void> {
    apply(await api.call('connections.unsubscribe', { connectionId, filter }))
  }

  async function publish(connectionId: string, message: PublishInput): Promise<void> {
    await api.call('connections.publish', { connectionId, ...message })
  }

  return { states, order, activeId, tabs, active, connectErrors, stale, forProfile, shownStatus, load, focus, connect, disconnect, subscribe, unsubscribe, publish }
})
