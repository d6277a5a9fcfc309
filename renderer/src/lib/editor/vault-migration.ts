/**
 * On save, moves what the editor holds in memory into the vault: uploaded CA files, the client
 * certificate with its key (or a PKCS#12), and a typed password. The profile then keeps only
 * item ids, so the next run connects without asking. Runs only when the vault is ready; a
 * locked vault leaves the in-memory behaviour as it was.
 */
import type { Profile } from '@api'
import type { useSecretsStore } from '../../stores/secrets'
import type { useVaultStore } from '../../stores/vault'
import { textAsVaultFile } from '../files'
import type { ProfileForm } from './profile-form'

type VaultStore = ReturnType<typeof useVaultStore>
type SecretsStore = ReturnType<typeof useSecretsStore>

/** Imports the form's files and password into the vault and points the form at the new items. */
export async function moveIntoVault(form: ProfileForm, existing: Profile | null, vault: VaultStore, secrets: SecretsStore): Promise<void> {
  const tls = form.spec.tls
  const stored = existing ? secrets.get(existing.id) : {}

  for (const ca of [...tls.ca]) {
    const items = await vault.importFiles([textAsVaultFile(ca.name, ca.pem)])
    for (const item of items) if (item.kind === 'ca-bundle' && !tls.caItemIds.includes(item.id)) tls.caItemIds.push(item.id)
    tls.ca.splice(tls.ca.indexOf(ca), 1)
  }

  if (form.identity === 'pem') {
    const keyPem = form.secrets.keyPem ?? stored.keyPem
    if (tls.clientCert && keyPem) {
      const files = [textAsVaultFile(tls.clientCert.name, tls.clientCert.pem), textAsVaultFile(tls.clientKeyName ?? 'client.key', keyPem)]
      useIdentity(form, await vault.importFiles(files, form.secrets.keyPassphrase ?? stored.keyPassphrase))
    }
  } else if (form.identity === 'pkcs12') {
    const p12 = form.secrets.pkcs12Base64 ?? stored.pkcs12Base64
    if (p12) {
      const files = [{ name: tls.pkcs12Name ?? 'client.p12', dataBase64: p12 }]
      useIdentity(form, await vault.importFiles(files, form.secrets.pkcs12Passphrase ?? stored.pkcs12Passphrase))
    }
  }

  if (form.secrets.password) {
    const name = `Password for ${form.spec.name}`.slice(0, 200)
    const item = await vault.storeSecret('password', name, form.secrets.password, form.spec.passwordItemId)
    form.spec.passwordItemId = item.id
    form.secrets.password = undefined
    // A password typed earlier this run (e.g. in the connect prompt) would win over the vault's
    // at connect time, so the new one would never be used; and it is no longer needed anyway.
    if (existing) secrets.forget(existing.id, ['password'])
  }
}

function useIdentity(form: ProfileForm, items: Awaited<ReturnType<VaultStore['importFiles']>>): void {
  const identity = items.find((i) => i.kind === 'client-identity')
  if (!identity) return
  const tls = form.spec.tls
  tls.identityItemId = identity.id
  tls.clientCert = null
  tls.clientKeyName = undefined
  tls.pkcs12Name = undefined
  form.identity = 'vault'
  form.secrets.keyPem = undefined
  form.secrets.keyPassphrase = undefined
  form.secrets.pkcs12Base64 = undefined
  form.secrets.pkcs12Passphrase = undefined
  // A CA that came in the same files (e.g. the chain's root) is trusted only if the user picks it.
}
