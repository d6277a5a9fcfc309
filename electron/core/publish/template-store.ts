/**
 * Saved messages (templates), global or per profile, in `<dataDir>/publish-templates.json`.
 * Each keeps the next `{{counter}}` it renders (from 1, like a repeat job's message number);
 * publishing from a template advances and saves it. A profile's templates are deleted with the profile and travel in its export.
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { ApiError, MAX_NAME_CHARS, notice, OutgoingMessage, type Notice, type PublishTemplate } from '../../api'
import { PersistedDocument } from './persisted-document'

export const TEMPLATES_FILE = 'publish-templates.json'
/** Templates kept at most (all profiles together). */
export const MAX_TEMPLATES = 2000

/** One template as stored and exported. */
export const StoredTemplate = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(MAX_NAME_CHARS),
  profileId: z.string().nullable(),
  message: OutgoingMessage,
  counter: z.number().int().min(0).default(1),
  createdAt: z.number(),
  updatedAt: z.number(),
})
const TemplatesFile = z.object({ version: z.literal(1), templates: z.array(StoredTemplate).max(MAX_TEMPLATES) })

export interface TemplateInput {
  id?: string
  name: string
  profileId: string | null
  message: OutgoingMessage
}

export class TemplateStore {
  private constructor(
    private templates: PublishTemplate[],
    private readonly file: PersistedDocument<z.infer<typeof TemplatesFile>>,
  ) {}

  static async open(dataDir: string): Promise<TemplateStore> {
    const opened = await PersistedDocument.open(dataDir, TEMPLATES_FILE, TemplatesFile, {
      what: 'message templates',
      term: 'templates',
      shape: 'a templates file',
      fallback: () => ({ version: 1 as const, templates: [] }),
    })
    const file = opened.bind(() => ({ version: 1 as const, templates: store.templates }))
    const store = new TemplateStore(opened.value.templates, file)
    return store
  }

  get warnings(): readonly string[] {
    return this.file.warnings
  }

  /** The same warnings with their codes (same order). */
  get warningNotices(): readonly Notice[] {
    return this.file.warningNotices
  }

  /**
   * Sorted by name. With `profileId`: the global templates and that profile's. `search` matches
   * name and topic, case-insensitively.
   */
  list(filter: { profileId?: string; search?: string } = {}): PublishTemplate[] {
    const needle = filter.search?.trim().toLowerCase()
    return this.templates
      .filter((t) => filter.profileId === undefined || t.profileId === null || t.profileId === filter.profileId)
      .filter((t) => !needle || t.name.toLowerCase().includes(needle) || t.message.topic.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name) || a.createdAt - b.createdAt)
      .map((t) => structuredClone(t))
  }

  get(id: string): PublishTemplate {
    const found = this.templates.find((t) => t.id === id)
    if (!found) throw notFound()
    return structuredClone(found)
  }

  /** Creates (no id) or replaces a template; an update keeps its counter and creation time. */
  async save(input: TemplateInput): Promise<PublishTemplate> {
    const now = Date.now()
    let saved: PublishTemplate
    if (input.id !== undefined) {
      const index = this.templates.findIndex((t) => t.id === input.id)
      if (index < 0) throw notFound()
      const old = this.templates[index]
      saved = { ...old, name: input.name, profileId: input.profileId, message: structuredClone(input.message), updatedAt: now }
      this.templates[index] = saved
    } else {
      if (this.templates.length >= MAX_TEMPLATES) {
        throw new ApiError('PUBLISH_LIMIT', `There are ${MAX_TEMPLATES.toLocaleString('en-US')} templates already: delete some you no longer use, then save again.`)
      }
      saved = { id: randomUUID(), name: input.name, profileId: input.profileId, message: structuredClone(input.message), counter: 1, createdAt: now, updatedAt: now }
      this.templates.push(saved)
    }
    await this.file.save()
    return structuredClone(saved)
  }

  async delete(id: string): Promise<void> {
    const index = this.templates.findIndex((t) => t.id === id)
    if (index < 0) throw notFound()
    this.templates.splice(index, 1)
    await this.file.save()
  }

  /** The counter value to render now; the stored one moves on by one and is saved. */
  async takeCounter(id: string): Promise<number> {
    const found = this.templates.find((t) => t.id === id)
    if (!found) throw notFound()
    const value = found.counter
    found.counter = value + 1
    await this.file.save()
    return value
  }

  /** A profile's own templates (for its export). */
  ofProfile(profileId: string): PublishTemplate[] {
    return this.templates.filter((t) => t.profileId === profileId).map((t) => structuredClone(t))
  }

  /** Deletes a profile's templates (the profile was deleted). */
  async dropProfile(profileId: string): Promise<number> {
    const before = this.templates.length
    this.templates = this.templates.filter((t) => t.profileId !== profileId)
    if (this.templates.length === before) return 0
    await this.file.save()
    return before - this.templates.length
  }

  /**
   * Adds a profile's templates from a profiles file (new ids, the counter they had). A template
   * whose name the profile already has is skipped (importing the same file twice adds nothing);
   * a damaged one is skipped with a warning, and so is what does not fit under MAX_TEMPLATES.
   */
  async importTemplates(profileId: string, imported: unknown[], profileName: string): Promise<Notice[]> {
    const warnings: Notice[] = []
    const names = new Set(this.templates.filter((t) => t.profileId === profileId).map((t) => t.name))
    const now = Date.now()
    let added = 0
    for (const raw of imported) {
      const parsed = StoredTemplate.safeParse(raw)
      if (!parsed.success) {
        warnings.push(notice('IMPORT_TEMPLATE_DAMAGED', `"${profileName}": a message template in the file is damaged and was not imported.`, { name: profileName }))
        continue
      }
      const t = parsed.data
      if (names.has(t.name)) continue
      if (this.templates.length >= MAX_TEMPLATES) {
        const message = `"${profileName}": the template "${t.name}" was not imported: ${MAX_TEMPLATES.toLocaleString('en-US')} templates exist already.`
        warnings.push(notice('IMPORT_TEMPLATE_OVER_LIMIT', message, { name: profileName, template: t.name, max: MAX_TEMPLATES }))
        continue
      }
      this.templates.push({ ...t, id: randomUUID(), profileId, updatedAt: now })
      names.add(t.name)
      added++
    }
    if (added > 0) await this.file.save()
    return warnings
  }
}

function notFound(): ApiError {
  return new ApiError('PUBLISH_NOT_FOUND', 'That template does not exist any more (deleted in another window?): pick one from the list.')
}
