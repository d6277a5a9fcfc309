/**
 * App-wide settings the user can change (the Settings screen), stored main-side as one JSON file.
 * `settings.update` takes a partial patch; every value is range-checked here so a bad file or a
 * bad request never reaches the engine. The renderer validates its form with these same fields
 * and ranges, so the reason shown next to a field is the one the main side would give.
 */
import { z } from 'zod'
import { MAX_NAME_CHARS, MAX_PATH_CHARS, MAX_SUBSCRIPTIONS } from './limits'
import { SubscriptionSpec } from './profiles'

const KB = 1024
const MB = 1024 * KB
const GB = 1024 * MB

/** The allowed range of each numeric setting, named so a form can say it in words. */
export const SETTING_RANGES = {
  payloadCapBytes: { min: 1 * KB, max: 256 * MB },
  historyMessagesPerTopic: { min: 1, max: 100_000 },
  historyBytesPerTopic: { min: 1 * KB, max: 1 * GB },
  historyBudgetBytes: { min: 1 * MB, max: 16 * GB },
} as const

const ranged = (key: keyof typeof SETTING_RANGES) => z.number().int().min(SETTING_RANGES[key].min).max(SETTING_RANGES[key].max)

/** The fields of the tree settings with their ranges (no defaults: patches use these as they are). */
const treeFields = {
  /** Payloads larger than this are stored cut (the UI says so); the original size is kept. */
  payloadCapBytes: ranged('payloadCapBytes'),
  /** Messages kept per topic, the latest included (1 = latest only). */
  historyMessagesPerTopic: ranged('historyMessagesPerTopic'),
  /** Bytes of older messages kept per topic. */
  historyBytesPerTopic: ranged('historyBytesPerTopic'),
  /** Bytes all topics' older messages may take together; the oldest go first. Latest messages never count. */
  historyBudgetBytes: ranged('historyBudgetBytes'),
  /** Rows flash briefly when their topic gets a message. */
  highlightChanges: z.boolean(),
}

/** 'system' follows the OS (prefers-color-scheme), live when it switches. */
export const ThemeChoice = z.enum(['system', 'light', 'dark'])
export type ThemeChoice = z.infer<typeof ThemeChoice>

/** 'local': 24 h local time with milliseconds; 'utc': ISO 8601 in UTC. Dates are year-month-day in both. */
export const TimeFormat = z.enum(['local', 'utc'])
export type TimeFormat = z.infer<typeof TimeFormat>

/** The UI's language: 'system' picks the best match of the OS's (the browser's) languages, English when none fits. */
export const LanguageChoice = z.enum(['system', 'en', 'zh-CN', 'de'])
export type LanguageChoice = z.infer<typeof LanguageChoice>

const appearanceFields = {
  theme: ThemeChoice,
  timeFormat: TimeFormat,
  language: LanguageChoice,
}

/** A full path on POSIX or Windows; the main side also checks that the folder exists. */
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/

const tlsFields = {
  /** Where a new key log file is proposed; '' = the app's own `keylogs` folder in the data folder. */
  keyLogFolder: z
    .string()
    .max(MAX_PATH_CHARS)
    .refine((p) => p === '' || ABSOLUTE_PATH.test(p), { message: 'Enter a full path (e.g. /home/me/keylogs), or leave it empty for the app’s own folder.' }),
}

/** The subscriptions a new profile starts with (the profile editor's New). */
const DEFAULT_NEW_PROFILE_SUBSCRIPTIONS: SubscriptionSpec[] = [
  { filter: '#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 },
  { filter: '$SYS/#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 },
]

const profileFields = {
  defaultSubscriptions: z.array(SubscriptionSpec).max(MAX_SUBSCRIPTIONS),
}

/**
 * The widths each resizable pane may be given, in CSS pixels. The page narrows a pane further when
 * its window leaves less room (the stored width comes back when the window grows again).
 */
export const PANE_SIZE_RANGES = {
  profilesWidth: { min: 180, max: 640 },
  sidePanelWidth: { min: 260, max: 900 },
  detailWidth: { min: 240, max: 2400 },
} as const

const paneWidth = (key: keyof typeof PANE_SIZE_RANGES) => z.number().int().min(PANE_SIZE_RANGES[key].min).max(PANE_SIZE_RANGES[key].max)

/** How the window is laid out: kept main-side like every setting (the page stores nothing itself). */
const layoutFields = {
  /** The profiles sidebar. */
  profilesWidth: paneWidth('profilesWidth'),
  profilesCollapsed: z.boolean(),
  /** A connection's side panel (subscriptions and publish). */
  sidePanelWidth: paneWidth('sidePanelWidth'),
  sidePanelCollapsed: z.boolean(),
  /** The selected topic's details and inspector, beside the tree. */
  detailWidth: paneWidth('detailWidth'),
  detailCollapsed: z.boolean(),
  /** The details take the tree's place too (the tree is collapsed). */
  detailMaximized: z.boolean(),
  /** The sidebar shows one line a profile. */
  compactProfiles: z.boolean(),
  /** Sidebar folders the user closed. */
  closedFolders: z.array(z.string().max(MAX_NAME_CHARS)).max(500),
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

/** How the page looks and writes times. */
export const AppearanceSettings = z.object({
  theme: appearanceFields.theme.default('system'),
  timeFormat: appearanceFields.timeFormat.default('local'),
  language: appearanceFields.language.default('system'),
})
export type AppearanceSettings = z.infer<typeof AppearanceSettings>

/** What a new profile starts with. */
export const ProfileDefaults = z.object({
  defaultSubscriptions: profileFields.defaultSubscriptions.default(DEFAULT_NEW_PROFILE_SUBSCRIPTIONS),
})
export type ProfileDefaults = z.infer<typeof ProfileDefaults>

/** TLS tooling defaults. */
export const TlsToolSettings = z.object({
  keyLogFolder: tlsFields.keyLogFolder.default(''),
})
export type TlsToolSettings = z.infer<typeof TlsToolSettings>

export const LayoutSettings = z.object({
  profilesWidth: layoutFields.profilesWidth.default(260),
  profilesCollapsed: layoutFields.profilesCollapsed.default(false),
  sidePanelWidth: layoutFields.sidePanelWidth.default(360),
  sidePanelCollapsed: layoutFields.sidePanelCollapsed.default(false),
  detailWidth: layoutFields.detailWidth.default(440),
  detailCollapsed: layoutFields.detailCollapsed.default(false),
  detailMaximized: layoutFields.detailMaximized.default(false),
  compactProfiles: layoutFields.compactProfiles.default(false),
  closedFolders: layoutFields.closedFolders.default([]),
})
export type LayoutSettings = z.infer<typeof LayoutSettings>

export const AppSettings = z.object({
  tree: TreeSettings.default(TreeSettings.parse({})),
  appearance: AppearanceSettings.default(AppearanceSettings.parse({})),
  profiles: ProfileDefaults.default(ProfileDefaults.parse({})),
  tls: TlsToolSettings.default(TlsToolSettings.parse({})),
  layout: LayoutSettings.default(LayoutSettings.parse({})),
})
export type AppSettings = z.infer<typeof AppSettings>

/** The groups of the settings file, each an object of fields. */
export type SettingsGroup = keyof AppSettings

/** Each group's schema with its defaults (the settings file is read field by field against these). */
export const SETTINGS_GROUPS = {
  tree: TreeSettings,
  appearance: AppearanceSettings,
  profiles: ProfileDefaults,
  tls: TlsToolSettings,
  layout: LayoutSettings,
} as const satisfies Record<SettingsGroup, z.ZodObject>

/** The defaults every missing value falls back to. */
export const DEFAULT_SETTINGS: AppSettings = AppSettings.parse({})

/** Each field's schema without its default, by group: what a patch and a form are checked against. */
export const SETTING_FIELDS = {
  tree: treeFields,
  appearance: appearanceFields,
  profiles: profileFields,
  tls: tlsFields,
  layout: layoutFields,
} as const

/** A partial change: only the fields given are replaced. */
export const SettingsPatch = z
  .object({
    tree: z.object(treeFields).partial().strict().optional(),
    appearance: z.object(appearanceFields).partial().strict().optional(),
    profiles: z.object(profileFields).partial().strict().optional(),
    tls: z.object(tlsFields).partial().strict().optional(),
    layout: z.object(layoutFields).partial().strict().optional(),
  })
  .strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const SettingsUpdateParams = z.object({ patch: SettingsPatch })
