/**
 * App-wide settings the user can change (Settings view), stored main-side as one JSON file.
 * `settings.update` takes a partial patch; every value is range-checked here so a bad file or a
 * bad request never reaches the engine.
 */
import { z } from 'zod'

const KB = 1024
const MB = 1024 * KB
const GB = 1024 * MB

/** The fields of the tree settings with their ranges (no defaults: patches use these as they are). */
const treeFields = {
  /** Payloads larger than this are stored cut (the UI says so); the original size is kept. */
  payloadCapBytes: z.number().int().min(1 * KB).max(256 * MB),
  /** Messages kept per topic, the latest included (1 = latest only). */
  historyMessagesPerTopic: z.number().int().min(1).max(100_000),
  /** Bytes of older messages kept per topic. */
  historyBytesPerTopic: z.number().int().min(1 * KB).max(1 * GB),
  /** Bytes all topics' older messages may take together; the oldest go first. Latest messages never count. */
  historyBudgetBytes: z.number().int().min(1 * MB).max(16 * GB),
  /** Rows flash briefly when their topic gets a message. */
  highlightChanges: z.boolean(),
}

/** Limits of the topic tree: what is kept per message, per topic and in total. */
export const TreeSettings = z.object({
  payloadCapBytes: treeFields.payloadCapBytes.default(16 * MB),
  historyMessagesPerTopic: treeFields.historyMessagesPerTopic.default(100),
  historyBytesPerTopic: treeFields.historyBytesPerTopic.default(8 * MB),
  historyBudgetBytes: treeFields.historyBudgetBytes.default(256 * MB),
  highlightChanges: treeFields.highlightChanges.default(true),
})
export type TreeSettings = z.infer<typeof TreeSettings>

export const AppSettings = z.object({
  tree: TreeSettings.default(TreeSettings.parse({})),
})
export type AppSettings = z.infer<typeof AppSettings>

/** The defaults every missing value falls back to. */
export const DEFAULT_SETTINGS: AppSettings = AppSettings.parse({})

/** A partial change: only the fields given are replaced. */
export const SettingsPatch = z
  .object({
    tree: z.object(treeFields).partial().strict().optional(),
  })
  .strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const SettingsUpdateParams = z.object({ patch: SettingsPatch })
