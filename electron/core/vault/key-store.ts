/**
 * Where the install's data key lives. The vault only sees this seam, so the OS keychain and
 * the master-passphrase fallback are interchangeable (and tests can pass either).
 */
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring'
import { notice, type Notice } from '../../api/notices'

/** Holds one data key. `get` resolves null when there is none; it rejects when the store is unusable. */
export interface DataKeyStore {
  readonly kind: 'keychain' | 'passphrase'
  get(): Promise<Buffer | null>
  set(key: Buffer): Promise<void>
  delete(): Promise<void>
}

/** Raised when the OS keychain cannot be used at all; `reason` is a sentence for the user. */
export class KeychainUnavailableError extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
    /** The reason with its code, for translation (a caller that builds one itself gets the plain "did not answer"). */
    readonly reasonNotice: Notice = notice('KEYCHAIN_NO_ANSWER', reason, { detail }),
  ) {
    super(reason)
    this.name = 'KeychainUnavailableError'
  }
}

/** The keychain service name every entry of ours is filed under. */
export const KEYCHAIN_SERVICE = 'MQTTS Explorer'

// On Linux the library's default silently falls back to the kernel keyring (keyutils) when no
// Secret Service answers. Kernel keys vanish at logout or reboot, which would turn every saved
// item into a "key lost" item the next day. Pinning the Secret Service makes that case an honest
// "no keychain" instead, and the user is asked for a master passphrase.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } }

/**
 * The data key in the OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret
 * Service), base64 as the password of service "MQTTS Explorer", account "data-key-<install id>".
 * The install id keeps two data folders (e.g. a dev build and the real one) from sharing a key.
 */
export class KeychainKeyStore implements DataKeyStore {
  readonly kind = 'keychain' as const
  readonly account: string

  constructor(installId: string) {
    this.account = `data-key-${installId}`
  }

  async get(): Promise<Buffer | null> {
    const value = await this.call((entry) => entry.getPassword())
    if (value === null) return null
    const key = Buffer.from(value, 'base64')
    // Someone else's value under our name is not our key; treat it like a missing one.
    return key.length === 32 ? key : null
  }

  async set(key: Buffer): Promise<void> {
    await this.call((entry) => entry.setPassword(key.toString('base64')))
  }

  async delete(): Promise<void> {
    await this.call((entry) => entry.deleteCredential())
  }

  private async call<T>(fn: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    try {
      // The constructor already talks to D-Bus on Linux and throws when there is no bus.
      return await fn(new AsyncEntry(KEYCHAIN_SERVICE, this.account, ENTRY_OPTIONS))
    } catch (err) {
      throw toUnavailable(err)
    }
  }
}

/** Turns a keyring library error into a reason a user understands. */
export function toUnavailable(err: unknown): KeychainUnavailableError {
  if (err instanceof KeychainUnavailableError) return err
  const detail = err instanceof Error ? err.message : String(err)
  let said = notice('KEYCHAIN_NO_ANSWER', `The system keychain did not answer (${detail}).`, { detail })
  if (/DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|DBus error/i.test(detail)) {
    said = notice('KEYCHAIN_NO_BUS', 'No desktop session bus is running, so no system keychain (Secret Service) is reachable.')
  } else if (/Secret Service|no result found|org\.freedesktop\.secrets/i.test(detail)) {
    said = notice('KEYCHAIN_NO_SECRET_SERVICE', 'No Secret Service keychain (GNOME Keyring or KWallet) is running or unlocked in this session.')
  } else if (/locked|denied|cancel/i.test(detail)) {
    said = notice('KEYCHAIN_REFUSED', 'The system keychain refused access (it may be locked, or the request was cancelled).')
  }
  return new KeychainUnavailableError(said.message, detail, said)
}
