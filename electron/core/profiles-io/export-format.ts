/**
 * The profiles export file: profiles with the id they have here (used only to recognise them
 * on a re-import; an imported profile gets its own id), public CA certificates in clear (they
 * are public, and without them a moved profile could not verify its broker), and, when asked
 * for, client identities and passwords encrypted under the user's passphrase. Item ids in
 * profiles are references into this file, replaced by vault ids on import.
 */
import { z } from 'zod'
import { SealedSecrets } from './bundle-crypto'

export const EXPORT_FORMAT = 'mqtts-explorer-profiles'
export const EXPORT_VERSION = 1

export const ExportedCertificate = z.object({ ref: z.string().min(1).max(100), name: z.string().min(1).max(200), pem: z.string().min(1).max(2_000_000) })
export type ExportedCertificate = z.infer<typeof ExportedCertificate>

/** What the encrypted section holds once opened. */
export const ExportedSecret = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('client-identity'), ref: z.string().min(1).max(100), name: z.string().min(1).max(200), pem: z.string().min(1).max(2_000_000) }),
  z.object({ kind: z.enum(['password', 'passphrase']), ref: z.string().min(1).max(100), name: z.string().min(1).max(200), value: z.string().min(1).max(65_535) }),
])
export type ExportedSecret = z.infer<typeof ExportedSecret>
export const ExportedSecrets = z.object({ items: z.array(ExportedSecret).max(1000) })

export const ExportDocument = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.number().int().min(1),
  exportedAt: z.string().optional(),
  /** Validated one by one on import, so one bad entry does not cost the others. */
  profiles: z.array(z.unknown()).max(10_000),
  certificates: z.array(ExportedCertificate).max(10_000).default([]),
  secrets: SealedSecrets.nullable().default(null),
  /**
   * The exported profiles' message templates (added later: older files have none), each naming
   * its profile by the profile's exported id. Validated one by one on import.
   */
  templates: z.array(z.object({ profileRef: z.string().min(1).max(200), template: z.unknown() })).max(20_000).default([]),
})
export type ExportDocument = z.infer<typeof ExportDocument>
