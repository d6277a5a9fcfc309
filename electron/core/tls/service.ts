/**
 * The `tls.*` methods: the inspector's reports and attempts, handshake history, pins, key logs,
 * the probe and the chain export, answered by the TLS engine (tls-manager.ts).
 */
import { ApiError, type ServiceHandlers } from '../../api'
import { chainToPem } from './chain-report'
import type { TlsManager } from './tls-manager'

type TlsMethod = Extract<keyof ServiceHandlers, `tls.${string}`>

/** The TLS inspector's slice of the contract. */
export function tlsService(tls: TlsManager): Pick<ServiceHandlers, TlsMethod> {
  return {
    'tls.report': async ({ connectionId }) => tls.report(connectionId),
    'tls.attempts': async ({ connectionId }) => tls.attempts(connectionId),
    'tls.history': async ({ profileId, limit }) => tls.handshakes(profileId, limit),
    'tls.pinState': async ({ profileId }) => tls.pinState(profileId),
    'tls.pin': async ({ profileId, kind, sha256 }) => tls.pin(profileId, kind, sha256),
    'tls.unpin': async ({ profileId }) => {
      await tls.unpin(profileId)
      return { unpinned: true }
    },
    'tls.trustNew': async ({ profileId }) => tls.trustNew(profileId),
    'tls.keyLog': async ({ connectionId, path }) => tls.setKeyLog(connectionId, path),
    'tls.keyLogs': async () => tls.keyLogStates(),
    'tls.probe': async ({ connectionId, probeId }) => tls.probe(connectionId, probeId),
    'tls.exportChain': async ({ connectionId }) => {
      const chain = tls.report(connectionId)?.chain
      if (!chain) throw new ApiError('NOT_FOUND', 'The broker has not shown a certificate chain on this connection yet — connect it first.')
      return { pem: chainToPem(chain) }
    },
  }
}
