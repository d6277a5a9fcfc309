// replay-timing's subscriber, in its own process so that its work never shares an event loop
// with the replay it measures. It timestamps each arrival with its own monotonic clock
// (performance.now()) and reports, once all are in (or when told to stop), each arrival with the
// message's sequence number (the payload's first 4 bytes). Config: REPLAY_TIMING_SUB (JSON).
import mqtt from 'mqtt'

const { port, ca, filter, count } = JSON.parse(process.env.REPLAY_TIMING_SUB ?? '{}')
const arrivals = new Float64Array(count)
const seqs = new Int32Array(count)
let n = 0
let reported = false

const client = await mqtt.connectAsync({ protocol: 'mqtts', host: '127.0.0.1', port, ca, servername: 'localhost', protocolVersion: 5, reconnectPeriod: 0 })
client.on('message', (_topic, payload) => {
  const at = performance.now()
  if (n < count) {
    arrivals[n] = at
    seqs[n] = payload.readUInt32BE(0)
    n++
  }
  if (n === count) report()
})

function report() {
  if (reported) return
  reported = true
  process.send({ type: 'report', arrivals: Array.from(arrivals.subarray(0, n)), seqs: Array.from(seqs.subarray(0, n)) }, () => {
    void client.endAsync(true).then(() => process.disconnect())
  })
}

process.on('message', (m) => {
  if (m.type === 'finish') report()
})
await client.subscribeAsync(filter, { qos: 0 })
process.send({ type: 'ready' })
