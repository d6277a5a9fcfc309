/**
 * Reading user-chosen files in the renderer. Certificates are read as text; PKCS#12 bundles are
 * binary, so they travel as base64. Nothing read here is ever written to browser storage.
 */
import { base64ToBytes, bytesToBase64 } from './base64'

/** Reads a file as UTF-8 text. */
export function readText(file: File): Promise<string> {
  return file.text()
}

/** Reads a binary file as base64 without building a giant intermediate string per byte. */
export async function readBase64(file: File): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()))
}

/**
 * The files chosen in an `<input type="file">` change event. The input is cleared so that
 * choosing the same file again (after fixing it on disk, say) fires another change.
 */
export function pickedFiles(ev: Event): File[] {
  const input = ev.target as HTMLInputElement
  const list = Array.from(input.files ?? [])
  input.value = ''
  return list
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

/** A chosen or dropped file as the vault import takes it. */
export async function toVaultFile(file: File): Promise<{ name: string; dataBase64: string }> {
  return { name: file.name, dataBase64: await readBase64(file) }
}

/** Text (e.g. PEM already read by a form) as a vault import file. */
export function textAsVaultFile(name: string, text: string): { name: string; dataBase64: string } {
  return { name, dataBase64: bytesToBase64(new TextEncoder().encode(text)) }
}

/** Offers bytes (base64) as a download: the browser's save flow, or Electron's save dialog. */
export function downloadBase64(fileName: string, dataBase64: string, type = 'application/octet-stream'): void {
  downloadBlob(fileName, new Blob([base64ToBytes(dataBase64)], { type }))
}

/** Offers text as a download. */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  downloadBlob(fileName, new Blob([text], { type }))
}

/** Offers a Blob as a download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
