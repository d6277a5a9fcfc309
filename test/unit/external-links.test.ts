import { describe, expect, it } from 'vitest'
import { allowedExternalUrl, EXTERNAL_LINK_HOSTS, isAllowedExternalUrl } from '../../electron/main/external-links'

describe('the external link guard', () => {
  it('lets plain https links to the listed documentation hosts out, normalised', () => {
    expect(allowedExternalUrl('https://mqtt.org/')).toBe('https://mqtt.org/')
    expect(allowedExternalUrl('https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901031')).toBe(
      'https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901031',
    )
    expect(allowedExternalUrl('https://www.rfc-editor.org/rfc/rfc8446')).toBe('https://www.rfc-editor.org/rfc/rfc8446')
    // Host names are case-insensitive; the default port may be spelt out.
    expect(allowedExternalUrl('HTTPS://MQTT.ORG:443/spec')).toBe('https://mqtt.org/spec')
    for (const host of EXTERNAL_LINK_HOSTS) expect(isAllowedExternalUrl(`https://${host}/`), host).toBe(true)
  })

  it('refuses every other scheme, even to a listed host', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'file://mqtt.org/share/payload.exe',
      'http://mqtt.org/',
      'ftp://mqtt.org/',
      'smb://mqtt.org/share',
      'ms-msdt:/id PCWDiagnostic',
      'search-ms:query=x&crumb=location:\\\\evil\\share',
      'app://mqtts/index.html',
      'blob:https://mqtt.org/uuid',
      'ws://mqtt.org/',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
  })

  it('refuses hosts that only look like a listed one', () => {
    for (const url of [
      'https://evil.example/',
      'https://mqtt.org.evil.example/',
      'https://evilmqtt.org/',
      'https://mqtt-org.example/',
      'https://mqtt.org./',
      'https://sub.mqtt.org/',
      'https://mqtt.org%2eevil.example/',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://2130706433/',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
  })

  it('refuses IDN homographs of a listed host', () => {
    // Cyrillic "м", Greek omicron, Cyrillic "о": the parser turns each into an xn-- name.
    for (const url of ['https://мqtt.org/', 'https://mqtt.\u03bfrg/', 'https://m\u043esquitto.org/', 'https://xn--qtt-ted.org/']) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
  })

  it('refuses credentials, where the visible host is not the real one', () => {
    for (const url of ['https://mqtt.org@evil.example/', 'https://user:pw@mqtt.org/', 'https://user@mqtt.org/', 'https://:pw@mqtt.org/', 'https://mqtt.org:pw@evil.example/']) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
  })

  it('refuses other ports, control characters, spaces, junk and giant URLs', () => {
    for (const url of [
      'https://mqtt.org:8443/',
      'https://mqtt.org\t.evil.example/',
      'https://mqtt.org/\nSet-Cookie: x',
      ' https://mqtt.org/',
      'https://mqtt.org/\u0000',
      'https://mqtt.org/\u0085',
      'https://mqtt.org/a b',
      '',
      'not a url',
      '//mqtt.org/',
      `https://mqtt.org/${'a'.repeat(5000)}`,
    ]) {
      expect(isAllowedExternalUrl(url), JSON.stringify(url.slice(0, 60))).toBe(false)
    }
  })

  it('returns the parsed URL, so what opens is what was checked', () => {
    // A backslash is a path separator for https: the host stays mqtt.org, and the caller opens this exact href.
    expect(allowedExternalUrl('https://mqtt.org\\@evil.example/')).toBe('https://mqtt.org/@evil.example/')
  })
})
