import { describe, expect, it } from 'vitest'
import { flattenUserProperties, hasProperties, propertyRows } from '../../renderer/src/lib/history/message-properties'

describe('MQTT 5 properties of the shown message', () => {
  it('flattens the tree’s user properties in arrival order, duplicates kept', () => {
    // mqtt.js groups repeated names into arrays, in the order each name first came.
    const props = { userProperties: { site: 'north', tag: ['a', 'b', 'a'], empty: '' } }
    expect(flattenUserProperties(props)).toEqual([['site', 'north'], ['tag', 'a'], ['tag', 'b'], ['tag', 'a'], ['empty', '']])
    expect(flattenUserProperties(undefined)).toEqual([])
    expect(flattenUserProperties({ contentType: 'x' })).toEqual([])
  })

  it('prefers the inspector’s wire-order list, which keeps interleaved names apart', () => {
    const wire: Array<[string, string]> = [['tag', 'a'], ['site', 'north'], ['tag', 'b']]
    expect(flattenUserProperties({ userProperties: { tag: ['a', 'b'], site: 'north' } }, wire)).toEqual(wire)
    expect(flattenUserProperties({ userProperties: { k: 'v' } }, [])).toEqual([['k', 'v']])
  })

  it('names every property as the MQTT specification does and explains its value', () => {
    const rows = propertyRows({
      payloadFormatIndicator: true,
      messageExpiryInterval: 3600,
      contentType: 'application/json',
      responseTopic: 'reply/here',
      correlationData: { base64: 'AQL/', hex: '0102ff' },
      subscriptionIdentifier: [3, 7],
      topicAlias: 2,
      userProperties: { a: 'b' },
    })
    expect(rows.map((r) => [r.name, r.value, r.extra])).toEqual([
      ['Payload Format Indicator', '1 (UTF-8 text)', undefined],
      ['Message Expiry Interval', '3,600 s', undefined],
      ['Content Type', 'application/json', undefined],
      ['Response Topic', 'reply/here', undefined],
      ['Correlation Data', 'hex 0102ff', 'base64 AQL/'],
      ['Subscription Identifier', '3, 7', undefined],
      ['Topic Alias', '2', undefined],
    ])
    expect(propertyRows({ payloadFormatIndicator: false })[0].value).toBe('0 (unspecified bytes)')
  })

  it('computes hex for correlation data too long to come with it, and marks messages with properties', () => {
    const big = Buffer.alloc(300, 0xab)
    const [row] = propertyRows({ correlationData: { base64: big.toString('base64') } })
    expect(row.value).toBe(`hex ${big.toString('hex')}`)
    expect(hasProperties(undefined)).toBe(false)
    expect(hasProperties({})).toBe(false)
    expect(hasProperties({ contentType: 'x' })).toBe(true)
  })
})
