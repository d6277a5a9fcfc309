/**
 * The recorder's encoder thread (a worker_threads entry; built as out/main/recording-worker.js):
 * arenas of message records in, v1 lines out, parts cut where their limits say. The lines go
 * back to the main thread as transferred buffers, in order, and the arena with them for reuse.
 * Files, gzip and the disk stay with the main side's Recorder (see README, "Encoder thread").
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { FromEncoder, ToEncoder } from './encoder-thread'
import { PartEncoder, type EncodedOutput, type EncoderInit } from './part-encoder'

const port = parentPort
if (port === null) throw new Error('recording-worker.ts runs as a worker thread, started by encoder-thread.ts')
const encoder = new PartEncoder(workerData as EncoderInit)

/**
 * The output's buffers, to move without a copy. A chunk that fills less than half of its
 * buffer (an arena sent by the 5 ms timer makes a few KB of lines in a 256 KB chunk) moves as a
 * copy of its own size instead, so the main side never holds mostly empty buffers while the disk
 * lags. Never a slice of Node's shared pool: transferring that would detach it.
 */
function transfers(out: EncodedOutput): ArrayBuffer[] {
  const list = new Set<ArrayBuffer>()
  for (const piece of out.pieces) {
    piece.chunks = piece.chunks.map((chunk) => {
      if (chunk.length * 2 >= chunk.buffer.byteLength && chunk.buffer.byteLength > Buffer.poolSize) return chunk
      const own = Buffer.allocUnsafeSlow(chunk.length)
      chunk.copy(own)
      return own
    })
    for (const chunk of piece.chunks) list.add(chunk.buffer as ArrayBuffer)
  }
  return [...list]
}

function send(message: FromEncoder, extra: ArrayBuffer[] = []): void {
  const out = message.type === 'ready' || message.type === 'encoded' || message.type === 'drained' ? message.out : undefined
  port!.postMessage(message, out ? [...transfers(out), ...extra] : extra)
}

port.on('message', (m: ToEncoder) => {
  if (m.type === 'firstFile') encoder.firstFile = m.name
  else if (m.type === 'records') {
    encoder.encode(m.arena, m.used)
    send({ type: 'encoded', out: encoder.output(), arena: m.arena }, [m.arena])
  } else if (m.type === 'drain') send({ type: 'drained', out: encoder.output() })
})

// The first part's header, so the file opens with it.
send({ type: 'ready', out: encoder.output() })
