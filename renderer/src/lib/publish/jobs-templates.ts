/**
 * Templates as the workbench lists them: this profile's and the global ones, searched by name and
 * topic, and the one a save by name would overwrite.
 */
import type { PublishTemplate } from '@api'
import { t } from '../i18n'

/** Global templates and the profile's own, matching `search` (case-insensitive, name or topic), by name. */
export function templatesFor(list: readonly PublishTemplate[], profileId: string, search = ''): PublishTemplate[] {
  const needle = search.trim().toLowerCase()
  return list
    .filter((tpl) => tpl.profileId === null || tpl.profileId === profileId)
    .filter((tpl) => needle === '' || tpl.name.toLowerCase().includes(needle) || tpl.message.topic.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || (a.profileId === null ? 1 : -1))
}

/**
 * The template a save under `name` in this scope (global: `profileId` null) would replace.
 * Names compare trimmed and case-insensitively, so "Reboot" and "reboot " are one template.
 */
export function templateNamed(list: readonly PublishTemplate[], name: string, profileId: string | null): PublishTemplate | undefined {
  const wanted = name.trim().toLowerCase()
  return list.find((tpl) => tpl.profileId === profileId && tpl.name.trim().toLowerCase() === wanted)
}

/** The origin line the editor shows for a draft loaded from a template (in the language of the moment it was loaded). */
export function templateOrigin(template: PublishTemplate): string {
  return t('publish.templateOrigin', { name: template.name })
}
