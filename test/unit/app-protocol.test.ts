import { resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, isTrustedSender, resolveAppUrl } from '../../electron/main/app-protocol'

const root = resolve('/opt/app/out/renderer')

describe('app:// protocol paths', () => {
  it('maps the entry URL and assets to files inside the renderer folder', () => {
    expect(resolveAppUrl(APP_ENTRY_URL, root)).toEqual({ file: `${root}${sep}index.html`, spaRoute: false })
    expect(resolveAppUrl('app://mqtts/assets/index-abc.js', root)?.file).toBe(`${root}${sep}assets${sep}index-abc.js`)
    expect(resolveAppUrl('app://mqtts/assets/index-abc.js?v=1#x', root)?.file).toBe(`${root}${sep}assets${sep}index-abc.js`)
  })

  it('treats the root and extension-less paths as app routes that index.html may serve', () => {
    expect(resolveAppUrl('app://mqtts/', root)).toEqual({ file: `${root}${sep}index.html`, spaRoute: true })
    expect(resolveAppUrl('app://mqtts/connections/42', root)?.spaRoute).toBe(true)
    expect(resolveAppUrl('app://mqtts/favicon.svg', root)?.spaRoute).toBe(false)
  })

  it('never resolves a hostile path to a file outside the renderer folder', () => {
    // The URL parser already folds some dot segments; whatever survives must stay under the root or be refused.
    for (const url of [
      'app://mqtts/%2e%2e/%2e%2e/etc/passwd',
      'app://mqtts/assets/%2E%2E%2F%2E%2E%2Fpackage.json',
      'app://mqtts/assets/..%2f..%2fpackage.json',
      'app://mqtts/a%5c..%5c..%5cpackage.json',
      'app://mqtts/index.html%00.png',
      'app://mqtts/%E0%A4%A',
      'app://mqtts//etc/passwd',
    ]) {
      const target = resolveAppUrl(url, root)
      if (target) expect(target.file.startsWith(root + sep), `${url} → ${target.file}`).toBe(true)
    }
  })

  it('refuses encoded separators, backslashes, NUL bytes and broken escapes outright', () => {
    for (const url of ['app://mqtts/assets/..%2f..%2fpackage.json', 'app://mqtts/a%5c..%5cpackage.json', 'app://mqtts/index.html%00.png', 'app://mqtts/%E0%A4%A']) {
      expect(resolveAppUrl(url, root), url).toBeNull()
    }
  })

  it('answers only for our own host and scheme', () => {
    expect(resolveAppUrl('app://evil/index.html', root)).toBeNull()
    expect(resolveAppUrl('file:///etc/passwd', root)).toBeNull()
    expect(resolveAppUrl('not a url', root)).toBeNull()
  })
})

describe('IPC sender trust', () => {
  it('trusts pages of our app origin only', () => {
    expect(isTrustedSender(APP_ENTRY_URL)).toBe(true)
    expect(isTrustedSender('app://mqtts/connections/1')).toBe(true)
  })

  it('refuses other origins, look-alikes, blank frames and destroyed frames', () => {
    for (const url of ['https://mqtts', 'app://mqtts.evil.com/', 'app://evil/', 'app://user:pw@mqtts/', 'file:///app/out/renderer/index.html', 'about:blank', 'devtools://devtools/', '', null, undefined]) {
      expect(isTrustedSender(url), String(url)).toBe(false)
    }
  })
})
