import { afterEach, describe, expect, it, vi } from 'vitest'
import type { IClientPublishOptions } from 'mqtt'
import { ApiError, type PublishAck } from '../../electron/api'
import type { PublishChannel } from '../../electron/core/connections/connection-manager'
import type { AckCallback } from '../../electron/core/connections/publish-ack'
import { MAX_IN_FLIGHT, MAX_UNWRITTEN_QOS0, STOP_GRACE_MS, SendWindow, type JobEndState, type SendCounts } from '../../electron/core/publish/send-window'

/** A connection whose answers the test gives by hand, in any order. */
function handChannel(receiveMaximum = 65_535) {
  const waiting: Array<{ qos: number; done: AckCallback }> = []
  const channel: PublishChannel = {
    isV5: true,
    isConnected: true,
    receiveMaximum,
    publishAcked: () => Promise.reject(new Error('not used')),
    publishNow(_topic: string, _payload: Buffer, opts: IClientPublishOptions, done: AckCallback) {
      waiting.push({ qos: opts.qos ?? 0, done })
    },
    subscribedTo: () => false,
    subscribeTransient: async () => {},
    unsubscribeTransient: async () => {},
  }
  const ok: PublishAck = { reasonCode: 0, reasonName: 'Success', accepted: true }
  return {
    channel,
    waiting,
    /** Answers the oldest waiting message. */
    answer(ack: PublishAck | null | 'lost' = ok) {
      const next = waiting.shift()!
      if (ack === 'lost') next.done(new ApiError('MQTT_PUBLISH_FAILED', 'lost'), null)
      else next.done(null, next.qos === 0 ? null : ack)
    },
  }
}

function windowOn(channel: PublishChannel) {
  const counts: SendCounts = { sent: 0, acknowledged: 0, failed: 0 }
  const events = { refused: [] as PublishAck[], lost: 0, room: 0, finished: [] as JobEndState[] }
  const window = new SendWindow(channel, counts, {
    refused: (ack) => events.refused.push(ack),
    lost: () => events.lost++,
    room: () => events.room++,
    finished: (state) => events.finished.push(state),
  })
  const send = (qos: 0 | 1 | 2) => window.send('t', Buffer.from('x'), { qos }, qos)
  return { window, counts, events, send }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the send window of publishing jobs', () => {
  it('bounds QoS 0 and QoS 1/2 separately, the latter by the broker\'s Receive Maximum', () => {
    const peer = handChannel(20)
    const { window, send } = windowOn(peer.channel)
    for (let i = 0; i < 20; i++) send(1)
    expect(window.hasRoom(1)).toBe(false)
    expect(window.hasRoom(2)).toBe(false)
    expect(window.hasRoom(0)).toBe(true)
    for (let i = 0; i < MAX_UNWRITTEN_QOS0; i++) send(0)
    expect(window.hasRoom(0)).toBe(false)
    peer.answer()
    expect(window.hasRoom(1)).toBe(true)
    expect(window.inFlight).toBe(19 + MAX_UNWRITTEN_QOS0)
  })

  it('never allows more than MAX_IN_FLIGHT unanswered, whatever the broker says', () => {
    const { window, send } = windowOn(handChannel(65_535).channel)
    for (let i = 0; i < MAX_IN_FLIGHT; i++) send(2)
    expect(window.hasRoom(2)).toBe(false)
  })

  it('counts every answer exactly: acknowledged, refused, lost', () => {
    const peer = handChannel()
    const { counts, events, send } = windowOn(peer.channel)
    for (let i = 0; i < 4; i++) send(1)
    peer.answer()
    peer.answer({ reasonCode: 0x87, reasonName: 'Not authorized', accepted: false })
    peer.answer('lost')
    expect(counts).toEqual({ sent: 4, acknowledged: 1, failed: 2 })
    expect(events.refused.map((a) => a.reasonCode)).toEqual([0x87])
    expect(events.lost).toBe(1)
    expect(events.room).toBe(3)
  })

  it('ends `done` only once the last answer is in, and resolves settled() then', async () => {
    const peer = handChannel()
    const { window, counts, events, send } = windowOn(peer.channel)
    send(1)
    send(0)
    let settled = false
    void window.settled().then(() => (settled = true))
    expect(window.end('done')).toBe(true)
    expect(window.end('stopped')).toBe(false)
    expect(window.ended).toBe(true)
    expect(window.endedAs).toBe('done')
    peer.answer()
    expect(window.finished).toBe(false)
    peer.answer()
    expect(window.finished).toBe(true)
    expect(events.finished).toEqual(['done'])
    expect(events.room).toBe(0) // no more sending is invited once sending has ended
    await Promise.resolve()
    expect(settled).toBe(true)
    expect(counts).toEqual({ sent: 2, acknowledged: 2, failed: 0 })
  })

  it('gives up on answers that never come after a stop, counting them failed, and ignores late ones', () => {
    vi.useFakeTimers()
    const peer = handChannel()
    const { window, counts, events, send } = windowOn(peer.channel)
    for (let i = 0; i < 3; i++) send(1)
    peer.answer()
    window.end('stopped')
    vi.advanceTimersByTime(STOP_GRACE_MS - 1)
    expect(window.finished).toBe(false)
    vi.advanceTimersByTime(1)
    expect(window.finished).toBe(true)
    expect(counts).toEqual({ sent: 3, acknowledged: 1, failed: 2 })
    peer.answer()
    expect(counts.acknowledged).toBe(1)
    expect(events.finished).toEqual(['stopped'])
  })

  it('finishes at once when nothing is in flight', () => {
    const { window, events } = windowOn(handChannel().channel)
    window.end('failed')
    expect(window.finished).toBe(true)
    expect(events.finished).toEqual(['failed'])
  })
})
