/**
 * Which links the app hands to the system browser. `shell.openExternal` runs whatever the OS
 * associates with a URL (file:, smb:, custom schemes can launch programs), so a link from a page
 * that shows broker data goes out only when it is plain https to a host on a short list.
 */

/** Hosts the app links to: the MQTT specifications, the TLS RFCs its diagnoses cite, mosquitto's docs. */
export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set([
  'mqtt.org',
  'docs.oasis-open.org',
  'www.rfc-editor.org',
  'datatracker.ietf.org',
  'mosquitto.org',
])

/** Longer than any documentation link; a megabyte URL is an attack, not a link. */
const MAX_URL_LENGTH = 2048

/**
 * The URL to open, normalised by the WHATWG parser, or null when it must not leave the app:
 * not https, a host that is not on the list exactly (look-alikes and IDN homographs arrive
 * here as other hosts or `xn--` names), credentials, a non-default port, or control characters.
 * Callers pass the returned string, never their input, to `shell.openExternal`.
 */
export function allowedExternalUrl(url: string, hosts: ReadonlySet<string> = EXTERNAL_LINK_HOSTS): string | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return null
  // The parser would silently drop tabs and newlines inside the URL; a real link has none.
  if (hasControlOrSpace(url)) return null
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== 'https:') return null
  if (parsed.username !== '' || parsed.password !== '') return null
  if (parsed.port !== '') return null
  if (!hosts.has(parsed.hostname)) return null
  return parsed.href
}

/** True when {@link allowedExternalUrl} lets the URL out. */
export function isAllowedExternalUrl(url: string): boolean {
  return allowedExternalUrl(url) !== null
}

function hasControlOrSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f)) return true
  }
  return false
}
