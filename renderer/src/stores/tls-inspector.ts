/**
 * The TLS inspector's view of each connection: the latest handshake report (kept for failed
 * attempts too), the last attempts with their timings and CONNACK, the handshake history, the
 * pin, the key log switch and a running probe. Reports arrive as 'tls.report' events.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { HandshakeRecord, Pin, PinKind, ProbeProgress, ProbeResult, TlsSessionReport } from '@api'
import { toErrorData } from '@api'
import { localizedError } from '../lib/i18n/errors'
import { useApi } from '../api/use-api'

export interface ProbeState {
  probeId: string
  running: boolean
  progress: ProbeProgress | null
  result: ProbeResult | null
  error: string | null
}

export const useTlsStore = defineStore('tls', () => {
  const api = useApi()
  /** Latest report per connection. */
  const reports = ref<Record<string, TlsSessionReport>>({})
  /** Newest first, per connection. */
  const attempts = ref<Record<string, TlsSessionReport[]>>({})
  /** Newest first, per profile. */
  const history = ref<Record<string, HandshakeRecord[]>>({})
  const pins = ref<Record<string, Pin | null>>({})
  /** Connection id → key log file, while the key log is on. */
  const keyLogs = ref<Record<string, string>>({})
  const probes = ref<Record<string, ProbeState>>({})
  /** Connection whose TLS panel is open (one at a time: it covers the connection's view). */
  const openFor = ref<string | null>(null)

  api.on('tls.report', (report) => {
    reports.value[report.connectionId] = report
    const list = attempts.value[report.connectionId]
    if (!list) return
    // Attempt numbers restart with each session: the start time tells handshakes apart.
    const i = list.findIndex((r) => r.attempt === report.attempt && r.timings.startedAt === report.timings.startedAt)
    if (i >= 0) list.splice(i, 1, report)
    else list.unshift(report)
    // A new handshake may have added a history record; refresh it if that view is loaded.
    if (history.value[report.connectionId]) void loadHistory(report.connectionId)
  })
  api.on('tls.probeProgress', (progress) => {
    const probe = Object.values(probes.value).find((p) => p.probeId === progress.probeId)
    if (probe && probe.running) probe.progress = progress
  })

  /** Everything the panel shows for one connection (profile id = connection id). */
  async function load(connectionId: string): Promise<void> {
    const [report, list, pin] = await Promise.all([
      api.call('tls.report', { connectionId }),
      api.call('tls.attempts', { connectionId }),
      api.call('tls.pinState', { profileId: connectionId }),
      loadHistory(connectionId),
      loadKeyLogs(),
    ])
    if (report) reports.value[connectionId] = report
    attempts.value[connectionId] = list
    pins.value[connectionId] = pin
  }

  async function loadHistory(profileId: string): Promise<void> {
    history.value[profileId] = await api.call('tls.history', { profileId, limit: 50 })
  }

  async function loadKeyLogs(): Promise<void> {
    const list = await api.call('tls.keyLogs')
    keyLogs.value = Object.fromEntries(list.map((k) => [k.connectionId, k.path]))
  }

  async function pin(profileId: string, kind: PinKind, sha256: string): Promise<void> {
    pins.value[profileId] = await api.call('tls.pin', { profileId, kind, sha256 })
  }

  async function unpin(profileId: string): Promise<void> {
    await api.call('tls.unpin', { profileId })
    pins.value[profileId] = null
  }

  async function trustNew(profileId: string): Promise<void> {
    pins.value[profileId] = await api.call('tls.trustNew', { profileId })
  }

  /** Turns the key log on (path) or off (null); throws the backend's sentence for a bad path. */
  async function setKeyLog(connectionId: string, path: string | null): Promise<void> {
    const result = await api.call('tls.keyLog', { connectionId, path })
    if (result.path) keyLogs.value[connectionId] = result.path
    else delete keyLogs.value[connectionId]
  }

  async function probe(connectionId: string): Promise<void> {
    const state: ProbeState = { probeId: `${connectionId}:${Date.now()}`, running: true, progress: null, result: null, error: null }
    probes.value[connectionId] = state
    const live = probes.value[connectionId]
    try {
      live.result = await api.call('tls.probe', { connectionId, probeId: state.probeId })
    } catch (err) {
      live.error = localizedError(toErrorData(err))
    } finally {
      live.running = false
    }
  }

  async function exportChain(connectionId: string): Promise<string> {
    return (await api.call('tls.exportChain', { connectionId })).pem
  }

  return { reports, attempts, history, pins, keyLogs, probes, openFor, load, loadHistory, loadKeyLogs, pin, unpin, trustNew, setKeyLog, probe, exportChain }
})
