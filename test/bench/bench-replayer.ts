/**
 * The app's replay engine as the replay benchmarks drive it: a ConnectionManager with one TLS
 * profile for the bench broker, and a ReplayManager over a recordings library in `dir` that
 * reports each job once it has ended.
 */
import { ProfileSpec, type Profile, type ReplayJob } from '../../electron/api'
import { ConnectionManager } from '../../electron/core/connections/connection-manager'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { ReplayManager } from '../../electron/core/replay/replay-manager'

export function benchReplayer(port: number, caPem: string, dir: string, onEnded: (job: ReplayJob) => void): { connections: ConnectionManager; replays: ReplayManager; profile: Profile } {
  const connections = new ConnectionManager({ onState: (s) => replays.connectionState(s), onBatch: () => {} })
  const spec = ProfileSpec.parse({ name: 'bench replayer', scheme: 'mqtts', host: '127.0.0.1', port, protocolVersion: 5, subscriptions: [], reconnect: { enabled: false }, tls: { ca: [{ name: 'root.crt', pem: caPem }], useSystemRoots: false, servername: 'localhost' } })
  const profile: Profile = { ...spec, id: 'bench-replayer', createdAt: '', updatedAt: '' }
  const replays: ReplayManager = new ReplayManager({
    store: new RecordingStore(dir),
    channel: (id) => connections.channel(id),
    profile: async () => profile,
    emit: (name, payload) => {
      const job = payload as ReplayJob
      if (name === 'replay.progress' && job.state !== 'running' && job.state !== 'paused') onEnded(job)
    },
  })
  return { connections, replays, profile }
}
