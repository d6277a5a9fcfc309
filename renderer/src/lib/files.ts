/**
 * Reading user-chosen files in the renderer. Certificates are read as text; PKCS#12 bundles are
 * binary, so they travel as base64. Nothing read here is ever written to browser storage.
 */

/** Reads a file as UTF-8 text. */
export function readText(file: File): Promise<string> {
  return file.text()
}

/** Reads a binary file as base64 without building a giant intermediate string per byte. */
export async function readBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}

/** True when the text holds at least one PEM certificate block. */
export function looksLikeCertificatePem(text: string): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)
}

/** True when the text holds a PEM private key (any algorithm, encrypted or not). */
export function looksLikeKeyPem(text: string): boolean {
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/.test(text)
}

/** True when a PEM key is passphrase-protected (PKCS#8 encrypted or legacy OpenSSL headers). */
export function isEncryptedKeyPem(text: string): boolean {
  return text.includes('BEGIN ENCRYPTED PRIVATE KEY') || /Proc-Type:\s*4,ENCRYPTED/.test(text)
}
