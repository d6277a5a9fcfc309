import { describe, expect, it } from 'vitest'
import { ApiError, ERROR_CODES, METHOD_NAMES, ProfileSpec, parseBrokerUrl, toErrorData } from '../../electron/api'

describe('broker URL parsing', () => {
  it.each([
    ['mqtts://broker.example.com', { scheme: 'mqtts', host: 'broker.example.com', port: 8883 }],
    ['mqtt://10.0.0.5:1884', { scheme: 'mqtt', host: '10.0.0.5', port: 1884 }],
    ['ssl://b:8884', { scheme: 'mqtts', host: 'b', port: 8884 }],
    ['tcp://b', { scheme: 'mqtt', host: 'b', port: 1883 }],
    ['wss://iot.example.com/mqtt', { scheme: 'wss', host: 'iot.example.com', port: 443, path: '/mqtt' }],
    ['ws://h:8080/ws/path', { scheme: 'ws', host: 'h', port: 8080, path: '/ws/path' }],
    ['broker.local', { scheme: 'mqtt', host: 'broker.local', port: 1883 }],
    ['mqtts://[::1]:8883', { scheme: 'mqtts', host: '::1', port: 8883 }],
  ])('reads %s', (text, expected) => {
    expect(parseBrokerUrl(text)).toMatchObject(expected)
  })

  it.each([
    ['ws://h:9001/', '/'],
    ['wss://h/', '/'],
    ['ws://h:9001//', '//'],
    ['ws://h:9001/mqtt/', '/mqtt/'],
    ['ws://h:9001', '/mqtt'],
    ['wss://h', '/mqtt'],
    ['ws://h:9001?x=1', '/mqtt'],
    ['ws://[::1]:9001/', '/'],
  ])('keeps the WebSocket path of %s as %j (only a URL without one gets /mqtt)', (text, path) => {
    expect(parseBrokerUrl(text)?.path).toBe(path)
  })

  it.each(['', 'http://example.com', 'mqtt://', 'mqtt://h:notaport'])('refuses %j', (text) => {
    expect(parseBrokerUrl(text)).toBeNull()
  })
})

describe('profile validation', () => {
  it('refuses a port out of range and an empty name', () => {
    const r = ProfileSpec.safeParse({ name: '', host: 'h', port: 0 })
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['name', 'port'])
  })

  it('has no field that could hold a secret', () => {
    const keys = JSON.stringify(ProfileSpec.parse({ name: 'n', host: 'h', port: 1 }))
    expect(keys).not.toMatch(/password|passphrase|keyPem|pkcs12Base64/i)
  })
})

describe('error data', () => {
  it('keeps code, sentence and detail of an ApiError', () => {
    expect(toErrorData(new ApiError('TLS_CERT_EXPIRED', 'Expired.', { notAfter: 'x' }))).toEqual({ code: 'TLS_CERT_EXPIRED', message: 'Expired.', detail: { notAfter: 'x' } })
  })

  it('gives every method and error code a unique name', () => {
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length)
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length)
  })
})
