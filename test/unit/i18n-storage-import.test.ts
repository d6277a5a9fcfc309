/**
 * The stored files' warnings at start and the profile import's warnings carry a notice code
 * where main writes them, with the values (and the file's or certificate part's term) their
 * sentence needs; the English stays what it was. The renderer shows them in German and Chinese
 * by code, puts a term and an inner error's code in its own words, and keeps main's English for a
 * code, term or value it does not know.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Notice, NoticeCode } from '@api'

// The rename that moves a file aside can be made to fail, for root (as in CI) as for anyone.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  return { ...real, rename: vi.fn(real.rename) }
})

const { SettingsStore } = await import('../../electron/core/storage/settings-store')
const { ProfileStore } = await import('../../electron/core/storage/profile-store')
const { PinStore } = await import('../../electron/core/tls/pinning')
const { SchemaStore } = await import('../../electron/core/inspect/schema-store')
const { TemplateStore } = await import('../../electron/core/publish/template-store')
const { appService } = await import('../../electron/core/app/service')
const { mqttxDrafts } = await import('../../electron/core/profiles-io/foreign-mqttx')
const { mqttExplorerDrafts } = await import('../../electron/core/profiles-io/foreign-mqtt-explorer')
const { ruleWarnings } = await import('../../electron/core/profiles-io/rule-warnings')
const { materialize } = await import('../../electron/core/profiles-io/materialize')
const { i18n } = await import('../../renderer/src/lib/i18n')
const { en } = await import('../../renderer/src/lib/i18n/en')
const { noticeList, noticeText } = await import('../../renderer/src/lib/i18n/notices')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-i18n-storage-'))
})
afterEach(async () => {
  vi.mocked(rename).mockReset()
  i18n.global.locale.value = 'en'
  await rm(dir, { recursive: true, force: true })
})

/** main's English rebuilt from the English key, its terms in English words: proves the key says what main says. */
function filled(n: Notice): string {
  const codes = en.notices.codes as Record<string, string>
  const terms = en.notices.terms as Record<string, Record<string, string>>
  return codes[n.code]!.replace(/\{(\w+)\}/g, (_, k: string) => {
    const term = n.params?.[`${k}Term`]
    if (typeof term === 'string') return terms[k]![term.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())]!
    const v = n.params?.[k]
    return typeof v === 'number' ? v.toLocaleString('en-US') : String(v)
  })
}

/** The store's one warning: its code, and the same English in both lists. */
function only(store: { warnings: readonly string[]; warningNotices: readonly Notice[] }, code: NoticeCode): Notice {
  expect(store.warningNotices.map((n) => n.code)).toEqual([code])
  const n = store.warningNotices[0]!
  expect(n.message).toBe(store.warnings[0])
  expect(filled(n)).toBe(n.message)
  return n
}

describe('stored files read at start', () => {
  it('a settings file that is not JSON: set aside, with the settings’ words as a term', async () => {
    await writeFile(join(dir, 'settings.json'), '{ not json')
    const n = only(await SettingsStore.open(dir), 'STORED_FILE_SET_ASIDE')
    expect(n.params).toMatchObject({ what: 'settings', whatTerm: 'settings', startsWith: 'with the default settings', startsWithTerm: 'settings' })
    expect(String(n.params?.movedTo)).toContain(join(dir, 'settings.json.corrupt-'))
  })

  it('a setting out of range: back at its default, named', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ tree: { historyMessagesPerTopic: -5 } }))
    const n = only(await SettingsStore.open(dir), 'SETTING_RESET')
    expect(n.params).toEqual({ setting: 'tree.historyMessagesPerTopic', fileName: 'settings.json' })
  })

  it('a file that cannot be read at all is left in place', async () => {
    await mkdir(join(dir, 'settings.json'))
    const n = only(await SettingsStore.open(dir), 'STORED_FILE_UNREADABLE')
    expect(n.params).toMatchObject({ whatTerm: 'settings', path: join(dir, 'settings.json') })
  })

  it('a damaged file that cannot be moved aside blocks saving', async () => {
    await writeFile(join(dir, 'tls-pins.json'), 'nope')
    vi.mocked(rename).mockRejectedValueOnce(Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' }))
    const n = only(await PinStore.open(dir), 'STORED_FILE_STUCK')
    expect(n.params).toMatchObject({ whatTerm: 'pins', moveError: 'EPERM: operation not permitted', path: join(dir, 'tls-pins.json') })
  })

  it('profiles from a newer version: the formats, not a parse error', async () => {
    await writeFile(join(dir, 'profiles.json'), JSON.stringify({ schemaVersion: 99, profiles: [] }))
    const n = only(await ProfileStore.open(dir), 'STORED_FILE_NEWER_SET_ASIDE')
    expect(n.params).toMatchObject({ whatTerm: 'profiles', format: 99, reads: 1 })
  })

  it('invalid profiles left out: one, or how many', async () => {
    await writeFile(join(dir, 'profiles.json'), JSON.stringify({ schemaVersion: 1, profiles: [{ name: 'broken', port: 'x' }] }))
    const one = only(await ProfileStore.open(dir), 'PROFILE_LEFT_OUT')
    expect(String(one.params?.backup)).toContain('profiles.json.invalid-')
    await writeFile(join(dir, 'profiles.json'), JSON.stringify({ schemaVersion: 1, profiles: [{ name: 'a' }, { name: 'b', port: 'x' }] }))
    expect(only(await ProfileStore.open(dir), 'PROFILES_LEFT_OUT').params).toMatchObject({ n: 2 })
  })

  it('a schemas folder that cannot be listed', async () => {
    await writeFile(join(dir, 'schemas'), 'a file where the folder should be')
    const n = only(await SchemaStore.open(dir), 'SCHEMAS_UNLISTED')
    expect(n.params).toMatchObject({ dir: join(dir, 'schemas') })
  })

  it('app.info sends the codes beside the English, in the same order, only when each has one', async () => {
    const store = (warnings: string[], warningNotices: Notice[]) => ({ warnings, warningNotices })
    const a: Notice = { code: 'SETTING_RESET', params: { setting: 's', fileName: 'f' }, message: 'A.' }
    const info = (stores: ReturnType<typeof store>[]) => appService({ version: '0', mode: 'browser', dataDir: dir, stores, sandboxProtocolVersion: 5 })['app.info']({} as never, {} as never)
    expect(await info([store(['A.'], [a]), store([], [])])).toMatchObject({ storageWarnings: ['A.'], storageWarningNotices: [a] })
    const uncoded = await info([store(['A.'], [a]), store(['B.'], [])])
    expect(uncoded.storageWarnings).toEqual(['A.', 'B.'])
    expect(uncoded.storageWarningNotices).toBeUndefined()
    expect((await info([])).storageWarningNotices).toBeUndefined()
  })
})

describe('profile import warnings', () => {
  it('MQTTX: a certificate file by a relative path or one that is gone, MQTT 3.1, half an identity', async () => {
    const drafts = await mqttxDrafts([{ name: 'plant', host: 'h', clientId: 'c', mqttVersion: '3.1', ssl: true, certType: 'self', ca: 'certs/ca.pem', cert: join(dir, 'gone.pem'), key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' }])
    const warnings = drafts[0]!.warnings
    expect(warnings.map((w) => w.code)).toEqual(['IMPORT_MQTT31', 'IMPORT_FILE_NOT_FULL_PATH', 'IMPORT_FILE_UNREADABLE', 'IMPORT_IDENTITY_HALF'])
    expect(warnings[1]!.params).toEqual({ name: 'plant', label: 'CA certificate', labelTerm: 'ca', path: 'certs/ca.pem' })
    expect(warnings[2]!.params).toMatchObject({ labelTerm: 'cert', errno: 'ENOENT' })
    for (const w of warnings) expect(filled(w)).toBe(w.message)
  })

  it('MQTTX: a folder named as a certificate file', async () => {
    const drafts = await mqttxDrafts([{ name: 'p', host: 'h', clientId: 'c', ssl: true, certType: 'self', key: dir }])
    expect(drafts[0]!.warnings.map((w) => w.code)).toEqual(['IMPORT_FILE_NOT_A_FILE'])
  })

  it('MQTT Explorer: certificates on an unencrypted connection', () => {
    const data = Buffer.from('pem').toString('base64')
    const [draft] = mqttExplorerDrafts({ ConnectionManager_connections: { a: { type: 'mqtt', configVersion: 1, host: 'h', name: 'old', encryption: false, selfSignedCertificate: { name: 'ca.pem', data } } } })
    expect(draft!.warnings.map((w) => w.code)).toEqual(['IMPORT_CERTS_UNENCRYPTED'])
    expect(filled(draft!.warnings[0]!)).toBe(draft!.warnings[0]!.message)
  })

  it('decoder rules naming a schema this install lacks', () => {
    const schemas = { list: () => [] }
    const rules = [
      { filter: 'a/#', decoder: 'protobuf' as const, protobufType: 'pkg.Reading' },
      { filter: 'b/#', decoder: 'avro' as const, avroSchema: 'reading.avsc' },
    ]
    const warnings = ruleWarnings('plant', rules as never, schemas)
    expect(warnings.map((w) => [w.code, w.params])).toEqual([
      ['IMPORT_RULE_PROTOBUF', { name: 'plant', filter: 'a/#', type: 'pkg.Reading' }],
      ['IMPORT_RULE_AVRO', { name: 'plant', filter: 'b/#', schema: 'reading.avsc' }],
    ])
    for (const w of warnings) expect(filled(w)).toBe(w.message)
  })

  it('a damaged template in the file', async () => {
    const templates = await TemplateStore.open(dir)
    const [w] = await templates.importTemplates('p1', [{ nonsense: true }], 'plant')
    expect(w).toMatchObject({ code: 'IMPORT_TEMPLATE_DAMAGED', params: { name: 'plant' } })
    expect(filled(w!)).toBe(w!.message)
  })

  it('an invalid profile is skipped, the result carrying both lists', async () => {
    const profiles = await ProfileStore.open(dir)
    const out = await materialize([{ spec: { name: 'bad', port: 'x' }, warnings: [] }], { profiles, vault: {} as never }, 'f.json', undefined)
    expect(out.warningNotices?.map((n) => n.code)).toEqual(['IMPORT_PROFILE_INVALID'])
    expect(out.warnings).toEqual(out.warningNotices?.map((n) => n.message))
    expect(filled(out.warningNotices![0]!)).toBe(out.warnings[0])
  })
})

describe('an import step that failed with an error of its own', () => {
  it('names that error’s code and plain detail values beside its English', async () => {
    const { ApiError } = await import('../../electron/api/errors')
    const profiles = await ProfileStore.open(dir)
    const refused = new ApiError('VAULT_BAD_INPUT', 'That is not a certificate.', { file: 'ca.pem', count: 2, nested: { no: true } })
    const vault = { status: () => ({ state: 'ready' }), vault: { importFiles: () => Promise.reject(refused) } }
    const [draft] = await mqttxDrafts([{ name: 'plant', host: 'broker.example', clientId: 'c', ssl: true, certType: 'self', ca: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----' }])
    expect(draft!.ca).toHaveLength(1)
    const out = await materialize([draft!], { profiles, vault: vault as never }, 'f.json', undefined)
    const [n] = out.warningNotices!
    expect(n).toMatchObject({ code: 'IMPORT_CA_FAILED', params: { name: 'plant', reason: 'That is not a certificate.', reasonErrorCode: 'VAULT_BAD_INPUT', 'reasonDetail.file': 'ca.pem', 'reasonDetail.count': 2 } })
    expect(n!.params).not.toHaveProperty('reasonDetail.nested')
    expect(n!.message).toBe(out.warnings[0])
  })
})

describe('in the UI’s language', () => {
  const setAside: Notice = {
    code: 'STORED_FILE_SET_ASIDE',
    params: { what: 'settings', whatTerm: 'settings', startsWith: 'with the default settings', startsWithTerm: 'settings', reason: 'Unexpected token', movedTo: '/d/settings.json.corrupt-1' },
    message: 'Your settings could not be read (Unexpected token), so MQTTS Explorer started with the default settings; the file was kept unchanged at /d/settings.json.corrupt-1.',
  }

  it('is main’s English in English', () => {
    expect(noticeText(setAside)).toBe(setAside.message)
  })

  it('puts the file’s words in the language’s own', () => {
    i18n.global.locale.value = 'de'
    expect(noticeText(setAside)).toBe('Die Datei Ihrer Einstellungen konnte nicht gelesen werden (Unexpected token), daher startete MQTTS Explorer mit den Standardeinstellungen; die Datei wurde unverändert unter /d/settings.json.corrupt-1 aufbewahrt.')
    i18n.global.locale.value = 'zh-CN'
    expect(noticeText(setAside)).toBe('无法读取你的设置（Unexpected token），因此 MQTTS Explorer 已使用默认设置启动；文件已原样保存在 /d/settings.json.corrupt-1。')
  })

  it('keeps main’s English words for a term it does not know', () => {
    i18n.global.locale.value = 'de'
    const newer = { ...setAside, params: { ...setAside.params, what: 'recording index', whatTerm: 'recording-index' } }
    expect(noticeText(newer)).toContain('recording index konnte nicht gelesen werden')
  })

  it('shows an inner error by its code in the language, its English when the code is unknown', () => {
    const ca = (reasonErrorCode: string): Notice => ({ code: 'IMPORT_CA_FAILED', params: { name: 'plant', reason: 'The vault is locked.', reasonErrorCode }, message: 'English.' })
    i18n.global.locale.value = 'de'
    expect(noticeText(ca('VAULT_LOCKED'))).toBe('„plant“: Sein CA-Zertifikat wurde nicht importiert (Der Zertifikatstresor ist gesperrt, oder die Passphrase öffnet ihn nicht: entsperren Sie ihn unter Zertifikate (achten Sie auf die Feststelltaste) und versuchen Sie es erneut.); das Profil verwendet die Stammzertifikate des Systems, bis Sie eines wählen.')
    expect(noticeText(ca('SOMETHING_NEWER'))).toContain('(The vault is locked.)')
  })

  it('a list of warnings: translated when the codes came, the English list otherwise', () => {
    i18n.global.locale.value = 'de'
    const reset: Notice = { code: 'SETTING_RESET', params: { setting: 'tree.sort', fileName: 'settings.json' }, message: 'English.' }
    expect(noticeList([reset], ['English.'])).toEqual(['Die Einstellung tree.sort in settings.json war ungültig und steht wieder auf ihrem Standardwert.'])
    expect(noticeList(undefined, ['English.'])).toEqual(['English.'])
    expect(noticeText({ code: 'STORED_FILE_NEWER_THAN_THIS' as NoticeCode, message: 'A newer backend said this.' })).toBe('A newer backend said this.')
  })
})

describe('a tree filter main cannot use, and a vault item it cannot open', () => {
  it('codes the filter’s rule where the tree compiles it, English unchanged', async () => {
    const { compileFilter } = await import('../../electron/core/tree/filters')
    const failed = (text: string, mode: 'regex' | 'mqtt') => {
      const r = compileFilter({ text, mode, caseSensitive: false, matchPayload: false })
      if (r.ok) throw new Error(`${text} compiled`)
      expect(r.notice.message).toBe(r.error)
      expect(filled(r.notice)).toBe(r.error)
      return r.notice
    }
    expect(failed('a(', 'regex')).toMatchObject({ code: 'TREE_FILTER_REGEX_INVALID', params: { reason: expect.stringContaining('a(') } })
    expect(failed('a/#/b', 'mqtt').code).toBe('TREE_FILTER_HASH')
    expect(failed('a/b+', 'mqtt').code).toBe('TREE_FILTER_PLUS')
    i18n.global.locale.value = 'de'
    expect(noticeText(failed('a/b+', 'mqtt'))).toBe("In einem MQTT-Filter muss '+' eine ganze Ebene sein, wie in 'sensors/+/temp'.")
  })

  it('codes why a vault item file cannot be used', async () => {
    const { loadItem } = await import('../../electron/core/vault/item-store')
    await writeFile(join(dir, 'item-000001.json'), '{ not json')
    await writeFile(join(dir, 'item-000002.json'), JSON.stringify({ id: 'other' }))
    const notJson = await loadItem(dir, 'item-000001')
    const altered = await loadItem(dir, 'item-000002')
    expect(notJson.problem?.code).toBe('VAULT_ITEM_NOT_JSON')
    expect(altered.problem?.code).toBe('VAULT_ITEM_ALTERED')
    for (const n of [notJson.problem!, altered.problem!]) expect(filled(n)).toBe(n.message)
    i18n.global.locale.value = 'zh-CN'
    expect(noticeText(altered.problem!)).toBe('该条目的文件已被篡改——请删除它并重新导入。')
  })
})

describe('a retained deletion the broker stopped', () => {
  it('sends the refusal’s code beside its English, which the UI translates by code', async () => {
    const { RetainedDeleteJob } = await import('../../electron/core/tree/retained-delete')
    const { ApiError } = await import('../../electron/api/errors')
    const { errorText } = await import('../../renderer/src/lib/format')
    const refusal = new ApiError('VAULT_LOCKED', 'English refusal.')
    const job = new RetainedDeleteJob({ connectionId: 'c', jobId: 'j', path: 'a', topics: ['a/1'], publish: () => Promise.reject(refusal), onProgress: () => {} })
    const end = await job.finished
    expect(end).toMatchObject({ state: 'error', error: 'English refusal.', errorData: { code: 'VAULT_LOCKED', message: 'English refusal.' } })
    expect(errorText(end.errorData)).toBe('English refusal.')
    i18n.global.locale.value = 'de'
    expect(errorText(end.errorData)).toMatch(/^Der Zertifikatstresor ist gesperrt/)
  })
})
