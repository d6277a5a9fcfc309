/**
 * The `vault.*` methods: status and unlock, items with the profiles that use them, import,
 * rename, delete and export, answered by the vault engine (vault-manager.ts).
 */
import { ApiError, type ServiceHandlers, type VaultExportFile } from '../../api'
import { safeFileName, usersOf, type VaultManager } from './vault-manager'

type VaultMethod = Extract<keyof ServiceHandlers, `vault.${string}`>

/** The vault's slice of the contract. */
export function vaultService(manager: VaultManager): Pick<ServiceHandlers, VaultMethod> {
  return {
    'vault.status': async () => {
      if (manager.vault && manager.vault.status().state !== 'ready') await manager.vault.refresh()
      return manager.snapshot()
    },
    'vault.unlock': async ({ passphrase }) => {
      await manager.require().unlockWithPassphrase(passphrase)
      return manager.afterChange()
    },
    'vault.reset': async ({ passphrase }) => {
      await manager.require().reset({ passphrase })
      return manager.afterChange()
    },
    'vault.list': async () => manager.items(),
    'vault.import': async ({ files, name, passphrase }) => {
      const input = files.map((f) => ({ name: f.name, bytes: Buffer.from(f.dataBase64, 'base64') }))
      const imported = await manager.require().importFiles(input, { name, passphrase })
      await manager.changed()
      const profiles = await manager.profiles.list()
      return imported.map((item) => ({ ...manager.view(item, profiles), reused: item.reused }))
    },
    'vault.storeSecret': async ({ kind, name, value, replaceId }) => {
      const item = await manager.require().storeSecret(kind, value, name, replaceId)
      await manager.changed()
      return manager.view(item, await manager.profiles.list())
    },
    'vault.rename': async ({ id, name }) => {
      const item = await manager.require().rename(id, name)
      await manager.changed()
      return manager.view(item, await manager.profiles.list())
    },
    'vault.delete': async ({ id, force }) => {
      const users = usersOf(await manager.profiles.list(), id)
      if (users.length > 0 && !force) {
        const names = users.map((u) => `"${u.name}"`).join(', ')
        throw new ApiError('VAULT_ITEM_IN_USE', `This item is used by ${users.length === 1 ? 'the profile' : 'the profiles'} ${names} — those connections will stop working until you pick another item in them.`, { profiles: users })
      }
      await manager.require().delete(id)
      await manager.changed()
      return { deleted: true as const }
    },
    'vault.exportCertificatePem': async ({ id }): Promise<VaultExportFile> => {
      const vault = manager.require()
      const pem = await vault.exportCertificatePem(id)
      return { fileName: safeFileName(await manager.nameOf(id), 'pem'), dataBase64: Buffer.from(pem).toString('base64') }
    },
    'vault.exportPkcs12': async ({ id, passphrase }): Promise<VaultExportFile> => {
      const p12 = await manager.require().exportPkcs12(id, passphrase)
      return { fileName: safeFileName(await manager.nameOf(id), 'p12'), dataBase64: p12.toString('base64') }
    },
  }
}
