/** Display helpers for the TLS inspector. Pure functions; words come from lib/i18n. */
import { CONNACK_VALUE_PROPERTIES, type ConnackDetails, type FailurePhase, type HandshakeTimings } from '@api'
import { t } from '../i18n'

/** 12.345 → "12.3 ms"; null → "—" (the step was not measured, e.g. no DNS for an IP address). */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

/** The step of a connect that failed, in words, in the UI's language ("TLS handshake"). */
export function phaseLabel(phase: FailurePhase): string {
  return t(`diagnosis.phase.${phase === 'mqtt-connack' ? 'mqttConnack' : phase}`)
}

/**
 * How far each phase is into a connect. The WebSocket upgrade comes after TLS and before CONNACK,
 * so a failed upgrade leaves CONNACK "not reached"; it has no timing column of its own.
 */
const PHASE_ORDER: Record<FailurePhase, number> = { dns: 0, tcp: 1, tls: 2, websocket: 3, 'mqtt-connack': 4, session: 5 }

/**
 * The four steps of one (re)connect, in order, for a timings row. A step after the one that
 * failed was never reached: it says so rather than showing a time or a bare dash.
 */
export function timingSteps(t: HandshakeTimings, failedAt?: FailurePhase | null): Array<{ label: string; ms: number | null; reached: boolean }> {
  const limit = failedAt ? PHASE_ORDER[failedAt] : Infinity
  return [
    { label: 'DNS', ms: t.dnsMs, reached: limit >= PHASE_ORDER.dns },
    { label: 'TCP', ms: t.tcpConnectMs, reached: limit >= PHASE_ORDER.tcp },
    { label: 'TLS', ms: t.tlsHandshakeMs, reached: limit >= PHASE_ORDER.tls },
    { label: 'CONNACK', ms: t.connackMs, reached: limit >= PHASE_ORDER['mqtt-connack'] },
  ]
}

/** The CONNACK properties in the order the table shows them; each one's label is `notices.connack.labels.<name>`. */
const CONNACK_PROPERTIES: ReadonlyArray<keyof ConnackDetails['properties']> = [...CONNACK_VALUE_PROPERTIES, 'userProperties']

/** The MQTT 5 properties a broker may send in CONNACK, those it sent with their values. */
export function connackRows(connack: ConnackDetails): Array<{ label: string; value: string; sent: boolean }> {
  const p = connack.properties
  return CONNACK_PROPERTIES.map((key) => {
    const value = p[key]
    const label = t(`notices.connack.labels.${key}`)
    if (value === undefined) return { label, value: t('notices.connack.notSent'), sent: false }
    if (key === 'userProperties') return { label, value: (value as Array<[string, string]>).map(([k, v]) => `${k}=${v}`).join(', '), sent: true }
    if (typeof value === 'boolean') return { label, value: value ? t('notices.connack.yes') : t('notices.connack.no'), sent: true }
    return { label, value: String(value), sent: true }
  })
}

/** "0x00 Success" and friends, for the reason codes a CONNACK can carry (MQTT 5's reason name as the specification writes it). */
export function connackReason(connack: ConnackDetails): string {
  const hex = `0x${connack.reasonCode.toString(16).padStart(2, '0')}`
  if (connack.reasonCode === 0) return `${hex} ${connack.protocolVersion === 5 ? 'Success' : t('notices.connack.accepted')}`
  return hex
}

/** A file-name-safe version of a profile name. */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'connection'
}

/**
 * The key log file proposed for a profile: `<folder>/<profile>.keys` in the folder chosen in
 * Settings, or `<dataDir>/keylogs/` when none is; with the folder's own separator.
 */
export function defaultKeyLogPath(dataDir: string, profileName: string, folder = ''): string {
  const base = folder || dataDir
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/'
  const dir = folder ? folder.replace(/[\\/]+$/, '') : `${dataDir.replace(/[\\/]+$/, '')}${sep}keylogs`
  return `${dir}${sep}${fileSafe(profileName)}.keys`
}

/** Whether a path is absolute on POSIX or Windows (the backend checks again). */
export function looksAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')
}
