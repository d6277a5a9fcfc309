/**
 * The session's store of inbound QoS 2 messages between PUBREC and PUBREL. mqtt.js keeps one
 * per client and empties it on `end()`, but we open a fresh client for every attempt: a broker
 * that resumes the session after a reconnect then sends only PUBREL for a message we already
 * PUBREC'd, mqtt.js finds nothing, answers PUBCOMP, and the message is gone. One store per
 * session survives the client swap, so that PUBREL still delivers the message.
 */
import { Store, type DoneCallback, type IStore, type Packet } from 'mqtt'

type PacketCallback = Parameters<IStore['get']>[1]
type PacketStream = ReturnType<IStore['createStream']>

export class SessionIncomingStore implements IStore {
  // clean: false, or Store.close() would drop the packets.
  private store = new Store({ clean: false })

  put(packet: Packet, cb: DoneCallback): this {
    this.store.put(packet, cb)
    return this
  }

  createStream(): PacketStream {
    return this.store.createStream()
  }

  del(packet: Pick<Packet, 'messageId'>, cb: PacketCallback): this {
    this.store.del(packet, cb)
    return this
  }

  get(packet: Pick<Packet, 'messageId'>, cb: PacketCallback): this {
    this.store.get(packet, cb)
    return this
  }

  /** A client ending is not the session ending: keep everything. */
  close(cb: DoneCallback): void {
    cb?.()
  }

  /** The broker started a new session: PUBRELs for what we hold will never come. */
  forget(): void {
    this.store = new Store({ clean: false })
  }
}
