/**
 * The main-side half of the WebSocket transport: one open socket becomes one RPC peer. Frames
 * travel as JSON text, exactly the shapes in electron/api/wire.ts. The socket is already
 * authenticated when it gets here (electron/web checks token, Host and Origin before upgrading).
 */
import type { WebSocket } from 'ws'
import { isRequestFrame, type ServerFrame } from '../api'
import { checkFrameShape } from './frame-guard'
import { malformedRequest, refusedRequest, type RpcServer } from './server'

/**
 * Buffered bytes beyond which a client counts as stuck. Events are already coalesced, so this
 * only trips when the page stopped reading; closing lets it reconnect and resynchronise instead of
 * the host holding an unbounded queue.
 */
export const MAX_BUFFERED_BYTES = 256 * 1024 * 1024

/** Close code sent to a stuck client ("try again later"). */
const CLOSE_TRY_AGAIN = 1013
/** Close code for a peer that sends something that is not a request frame. */
const CLOSE_UNSUPPORTED = 1003

/**
 * The JSON text of frames being fanned out. The event coalescer hands one frame object to every
 * open socket in a row (the page, a second window, a script polling the host); under a message
 * flood that frame is a batch of tens of kB, so it is serialised once, not once per socket. Keyed
 * by the frame object, which the server builds fresh for every send and never changes after.
 */
const frameTexts = new WeakMap<ServerFrame, string>()

function frameText(frame: ServerFrame): string {
  let text = frameTexts.get(frame)
  if (text === undefined) {
    text = JSON.stringify(frame)
    frameTexts.set(frame, text)
  }
  return text
}

export interface WsTransportOptions {
  /** For logs only, e.g. the remote port. */
  label: string
  log?: (line: string) => void
}

/**
 * Serves RPC over one WebSocket until it closes. Returns a function that detaches the socket from
 * event fan-out (also called automatically on close).
 */
export function serveWebSocket(rpc: RpcServer, socket: WebSocket, options: WsTransportOptions): () => void {
  const log = options.log ?? (() => {})

  function send(frame: ServerFrame): void {
    if (socket.readyState !== socket.OPEN) return
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      log(`closing ${options.label}: it stopped reading (${socket.bufferedAmount} bytes queued)`)
      socket.close(CLOSE_TRY_AGAIN, 'Client is not reading; reconnect to resynchronise.')
      return
    }
    socket.send(frameText(frame), (err) => {
      if (err) log(`send to ${options.label} failed: ${err.message}`)
    })
  }

  // One peer per socket: the service keys per-window state (tree views) by it.
  const peer = { label: options.label, send }
  const detach = rpc.attach(peer)

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      log(`closing ${options.label}: binary frames are not part of the protocol`)
      socket.close(CLOSE_UNSUPPORTED, 'Send JSON text frames.')
      return
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
    // Judge the frame's shape before JSON.parse builds it: parsing millions of values is itself
    // the stall (the socket's maxPayload already bounds its bytes).
    const refusal = checkFrameShape(bytes)
    if (refusal) {
      log(`refused request ${refusal.method ?? '?'} from ${options.label}: ${refusal.kind} limit at "${refusal.path}"`)
      const answer = refusedRequest(refusal)
      if (answer) send(answer)
      else socket.close(CLOSE_UNSUPPORTED, 'Request frame too big.')
      return
    }
    let frame: unknown
    try {
      frame = JSON.parse(bytes.toString())
    } catch {
      socket.close(CLOSE_UNSUPPORTED, 'Send JSON text frames.')
      return
    }
    if (!isRequestFrame(frame)) {
      // Answer what can be answered: a frame with an id gets a BAD_REQUEST, anything else closes.
      const id = (frame as { id?: unknown } | null)?.id
      if (typeof id === 'number' && Number.isSafeInteger(id)) {
        send(malformedRequest(id))
      } else {
        socket.close(CLOSE_UNSUPPORTED, 'Not a request frame.')
      }
      return
    }
    rpc.handle(frame, peer).then(send, (err: unknown) => {
      // rpc.handle turns handler errors into frames; reaching here is a bug, but must not kill the host.
      log(`request ${frame.method} from ${options.label} failed unexpectedly: ${String(err)}`)
    })
  })

  socket.on('close', detach)
  socket.on('error', (err) => log(`socket ${options.label}: ${err.message}`))
  return detach
}
