import { describe, expect, it } from 'vitest'
import type { MqttClient } from 'mqtt'
import { SubscriptionBook } from '../../electron/core/connections/subscription-book'
import { validateFilter } from '../../electron/core/connections/topic-filter'

describe('topic filter rules', () => {
  it.each(['#', '+', 'a', 'a/b/c', 'sensors/#', '+/status', 'a/+/b/#', '/', '//', 'a//b', '$SYS/#', '$share/group/sensors/#', '$share/g/+', 'ünïcødé/😀', 'a'.repeat(65_535)])(
    'accepts %s',
    (filter) => {
      expect(validateFilter(filter)).toBeNull()
    },
  )

  it.each([
    ['', /cannot be empty/],
    ['bad/#/x', /# must be the last level of a filter.*bad\/#\/x has levels after it/],
    ['#/a', /# must be the last level/],
    ['sensors#', /# must stand alone/],
    ['a/b#', /# must stand alone/],
    ['a+b/c', /\+ must stand for a whole level/],
    ['a/+b', /\+ must stand for a whole level/],
    ['a\u0000b', /NUL character/],
    ['a\uD800b', /lone surrogate/],
    ['é'.repeat(40_000), /80,000 bytes long and MQTT allows at most 65,535/],
    ['$share/', /needs a group name and a filter/],
    ['$share/group', /needs a group name and a filter/],
    ['$share/group/', /needs a group name and a filter/],
    ['$share//x', /needs a group name and a filter/],
    ['$share/gr+oup/x', /group name of a shared subscription cannot contain/],
    ['$share/g/a/#/b', /# must be the last level/],
  ])('refuses %j with MQTT_FILTER_INVALID and a sentence', (filter, sentence) => {
    const error = validateFilter(filter)
    expect(error?.code).toBe('MQTT_FILTER_INVALID')
    expect(error?.message).toMatch(sentence)
  })

  it('cuts a huge filter in its sentence so the error stays readable', () => {
    const error = validateFilter(`${'x/'.repeat(10_000)}#/y`)
    expect(error?.message.length).toBeLessThan(300)
  })
})

/** A stand-in for mqtt.js that answers SUBSCRIBE with the given SUBACK. */
function fakeClient(answer: (request: Record<string, unknown>) => { granted: number[]; properties?: { reasonString?: string } }) {
  const requests: Record<string, unknown>[] = []
  const client = {
    subscribe(request: Record<string, unknown>, cb: (err: Error | null, granted: unknown, packet: unknown) => void) {
      requests.push(request)
      const packet = answer(request)
      setImmediate(() => cb(null, [], { cmd: 'suback', ...packet }))
    },
  } as unknown as MqttClient
  return { client, requests }
}

describe('subscription state the renderer receives', () => {
  const spec = (filter: string) => ({ filter, qos: 1 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const })

  it('shows an invalid filter as an error at once and never sends it', async () => {
    let changes = 0
    const book = new SubscriptionBook(true, () => changes++)
    book.add(spec('ok/#'))
    book.add(spec('bad/#/x'))
    expect(book.states().find((s) => s.filter === 'bad/#/x')).toMatchObject({ grantedQos: null, error: { code: 'MQTT_FILTER_INVALID' } })

    const { client, requests } = fakeClient(() => ({ granted: [1] }))
    await book.send(client, book.filters())
    expect(requests).toEqual([{ 'ok/#': expect.objectContaining({ qos: 1 }) }])
    expect(changes).toBe(1)
    expect(book.states()).toMatchObject([
      { filter: 'ok/#', grantedQos: 1 },
      { filter: 'bad/#/x', grantedQos: null, error: { code: 'MQTT_FILTER_INVALID' } },
    ])
    // A reconnect replays the book: still not sent, still shown as invalid.
    book.markLost()
    await book.send(client, book.filters())
    expect(requests).toHaveLength(2)
    expect(book.states()[1].error?.code).toBe('MQTT_FILTER_INVALID')
  })

  it('shows an MQTT 5 SUBACK refusal with its reason code and the broker\'s reason string', async () => {
    const book = new SubscriptionBook(true, () => undefined)
    book.add(spec('ok/#'))
    book.add(spec('secret/#'))
    const { client } = fakeClient(() => ({ granted: [1, 0x87], properties: { reasonString: 'secret/# is for admins' } }))
    await book.send(client, book.filters())
    const refused = book.states().find((s) => s.filter === 'secret/#')
    expect(refused).toMatchObject({ grantedQos: null, error: { code: 'MQTT_SUBSCRIBE_FAILED', detail: { subackCode: 0x87 } } })
    expect(refused?.error?.message).toContain('the broker\'s access rules do not allow it (the broker says: "secret/# is for admins")')
  })

  it('shows a 3.1.1 SUBACK failure (0x80) without inventing a reason', async () => {
    const book = new SubscriptionBook(false, () => undefined)
    book.add(spec('secret/#'))
    const { client } = fakeClient(() => ({ granted: [0x80] }))
    await book.send(client, book.filters())
    expect(book.states()[0]).toMatchObject({ grantedQos: null, error: { code: 'MQTT_SUBSCRIBE_FAILED', detail: { subackCode: 0x80 } } })
    expect(book.states()[0].error?.message).toMatch(/without saying why/)
  })
})
