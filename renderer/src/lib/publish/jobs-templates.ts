/**
 * Templates as the workbench lists them: this profile's and the global ones, searched by name and
 * topic, and the one a save by name would overwrite.
 */
import type { PublishTemplate } from '@api'

/** Global templates and the profile's own, matching `search` (case-insensitive, name or topic), by name. */
export function templatesFor(list: readonly PublishTemplate[], profileId: string, search = ''): PublishTemplate[] {
  const needle = search.trim().toLowerCase()
  return list
    .filter((t) => t.profileId === null || t.profileId === profileId)
    .filter((t) => needle === '' || t.name.toLowerCase().includes(needle) || t.message.topic.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || (a.profileId === null ? 1 : -1))
}

/**
 * The template a save under `name` in this scope (global: `profileId` null) would replace.
 * Names compare trimmed and case-insensitively, so "Reboot" and "reboot " are one template.
 */
export function templateNamed(list: readonly PublishTemplate[], name: string, profileId: string | null): PublishTemplate | undefined {
  const wanted = name.trim().toLowerCase()
  return list.find((t) => t.profileId === profileId && t.name.trim().toLowerCase() === wanted)
}

/** The origin line the editor shows for a draft loaded from a template. */
export function templateOrigin(template: PublishTemplate): string {
  return `Template “${template.name}”`
}
