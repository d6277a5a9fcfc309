/**
 * What a subscription shows when it cannot be granted: a filter that breaks MQTT's rules is
 * marked invalid at once (it used to stay "pending" forever, and took the valid filters sent with
 * it down too), and a broker's SUBACK refusal carries its reason code, against real mosquitto
 * with the dynamic-security plugin denying one topic (its acl_file does not refuse SUBSCRIBE).
 */
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { recordingManager, testProfile } from './connections-helpers'

/** mosquitto's dynamic-security plugin, in whichever multiarch folder (x86_64-linux-gnu, aarch64-linux-gnu, …) holds it. */
function findDynsecPlugin(): string {
  const candidates = ['/usr/lib', ...readdirSync('/usr/lib').map((entry) => join('/usr/lib', entry))]
  const found = candidates.map((folder) => join(folder, 'mosquitto_dynamic_security.so')).find((path) => existsSync(path))
  if (!found) throw new Error('mosquitto_dynamic_security.so is not in /usr/lib or any /usr/lib/* folder: install the mosquitto package (it ships the plugin).')
  return found
}
let broker: MosquittoBroker
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-dynsec-'))
  const config = join(dir, 'dynamic-security.json')
  await writeFile(
    config,
    JSON.stringify({
      defaultACLAccess: { publishClientSend: true, publishClientReceive: true, subscribe: true, unsubscribe: true },
      clients: [],
      groups: [{ groupname: 'anonymous', roles: [{ rolename: 'no-secrets' }] }],
      anonymousGroup: 'anonymous',
      roles: [{ rolename: 'no-secrets', acls: [{ acltype: 'subscribePattern', topic: 'secret/#', priority: 0, allow: false }] }],
    }),
  )
  broker = await startMosquitto({ listeners: [{}], extra: [`plugin ${findDynsecPlugin()}`, `plugin_opt_config_file ${config}`] })
})
afterAll(async () => {
  await broker?.stop()
  await rm(dir, { recursive: true, force: true })
})

const spec = (filter: string) => ({ filter, qos: 1 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const })

describe.each([4, 5] as const)('subscription errors, MQTT v%i', (protocolVersion) => {
  it('marks an invalid filter with a code and a sentence, and still subscribes the valid ones sent with it', async () => {
    const rec = recordingManager()
    const profile = testProfile({ port: broker.port, protocolVersion, subscriptions: [spec('ok/#'), spec('bad/#/x')] })
    const state = await rec.manager.connect(profile, {})
    const ok = state.subscriptions.find((s) => s.filter === 'ok/#')
    const bad = state.subscriptions.find((s) => s.filter === 'bad/#/x')
    expect(ok).toMatchObject({ grantedQos: 1 })
    expect(ok?.error).toBeUndefined()
    expect(bad).toMatchObject({ grantedQos: null, error: { code: 'MQTT_FILTER_INVALID' } })
    expect(bad?.error?.message).toContain('# must be the last level of a filter')

    // Added later, the same: shown on the subscription, not left pending.
    const later = await rec.manager.subscribe(profile.id, spec('a+b/c'))
    expect(later.subscriptions.find((s) => s.filter === 'a+b/c')).toMatchObject({ grantedQos: null, error: { code: 'MQTT_FILTER_INVALID' } })

    // The session is unharmed: valid subscriptions deliver.
    await rec.manager.publish({ connectionId: profile.id, topic: 'ok/1', payload: 'fine', encoding: 'utf8', qos: 1, retain: false })
    await rec.waitForMessages(profile.id, 'ok/1')
    await rec.manager.closeAll()
  })

  it('shows the broker\'s SUBACK refusal on that subscription with its reason code', async () => {
    const rec = recordingManager()
    const profile = testProfile({ port: broker.port, protocolVersion, subscriptions: [spec('ok/#')] })
    await rec.manager.connect(profile, {})
    const state = await rec.manager.subscribe(profile.id, spec('secret/#'))
    const refused = state.subscriptions.find((s) => s.filter === 'secret/#')
    const code = protocolVersion === 5 ? 0x87 : 0x80
    expect(refused).toMatchObject({ grantedQos: null, error: { code: 'MQTT_SUBSCRIBE_FAILED', detail: { subackCode: code } } })
    expect(refused?.error?.message).toMatch(protocolVersion === 5 ? /secret\/#.*access rules/ : /secret\/#.*refused it without saying why/)
    expect(state.subscriptions.find((s) => s.filter === 'ok/#')).toMatchObject({ grantedQos: 1 })
    // The renderer receives the same in the state event.
    const event = await rec.waitForState(profile.id, (s) => s.subscriptions.some((x) => x.filter === 'secret/#' && x.error !== undefined))
    expect(event.subscriptions.find((s) => s.filter === 'secret/#')?.error?.detail).toEqual({ subackCode: code })
    await rec.manager.closeAll()
  })
})
