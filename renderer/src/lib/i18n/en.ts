/**
 * English: the key schema every other language must match ({@link Messages}), and the fallback.
 * vue-i18n's message syntax applies: `{name}` is a parameter, `a | b` are plural forms, and a
 * literal `@`, `{`, `}`, `|` or `$` is written `{'@'}` and so on.
 */
export const en = {
  common: {
    close: 'Close',
    cancel: 'Cancel',
    save: 'Save',
    remove: 'Remove',
    add: 'Add',
    delete: 'Delete',
    edit: 'Edit',
    ok: 'OK',
    closeDialog: 'Close dialog',
  },
  settings: {
    title: 'Settings',
    status: 'Settings status',
    saving: 'Saving…',
    saved: 'Saved — applied now.',
    appearance: 'Appearance',
    theme: { label: 'Theme', system: 'Follow the system', light: 'Light', dark: 'Dark' },
    timeFormat: { label: 'Time format', local: 'Local, 24 h', utc: 'ISO 8601, UTC' },
    language: { label: 'Language', system: 'Follow the system' },
    tree: {
      legend: 'Topic tree and history',
      payloadCapBytes: { label: 'Payload cap per message', unit: 'Unit of payload cap per message', hint: 'Bigger payloads are kept cut (the tree says so).' },
      historyBytesPerTopic: { label: 'History bytes per topic', unit: 'Unit of history bytes per topic', hint: 'Older messages a topic keeps, in bytes.' },
      historyBudgetBytes: { label: 'Memory budget for history', unit: 'Unit of memory budget for history', hint: 'All topics’ older messages together; the oldest go first.' },
      historyMessagesPerTopic: { label: 'History messages per topic', hint: 'The latest included (1 = latest only).' },
      highlight: 'Highlight topics when a message arrives',
    },
    newProfiles: {
      legend: 'New profiles',
      hint: 'The subscriptions a new profile starts with (MQTT 5 options apply on MQTT 5 brokers). Existing profiles keep theirs.',
    },
    keyLog: {
      legend: 'TLS key log',
      label: 'Key log folder',
      hint: 'Where a connection’s key log file is proposed. Empty: the app’s own folder.',
      appFolder: 'the app’s keylogs folder',
    },
    problem: {
      sizeMissing: 'Enter a size, e.g. 16 MB.',
      sizeZero: 'Enter a size above zero, between {min} and {max}.',
      sizeRange: '{size} is outside the allowed range: pick between {min} and {max}.',
      countMissing: 'Enter a number of messages, e.g. 100.',
      countWhole: 'Enter a whole number of messages.',
      countRange: 'Pick between {min} (the latest only) and {max} messages.',
      subscriptionEmpty: 'Subscription {n} needs a topic filter, e.g. # or sensors/#.',
      subscriptionBad: 'Subscription {n}: {problem}',
      filterTwice: 'The filter {filter} is listed twice: keep one.',
      notAllowed: 'This value is not allowed.',
    },
  },
  profiles: {
    nav: 'Connection profiles',
    heading: 'Connections',
    compact: 'Compact list',
    compactTitle: 'One line a profile',
    new: 'New',
    search: 'Search profiles',
    searchPlaceholder: 'Search name, address or folder',
    folder: 'Folder {name}, {n} profile | Folder {name}, {n} profiles',
    noFolder: 'Profiles without a folder',
    show: 'Show this connection',
    builtin: 'builtin',
    builtinTitle: 'Built in: an embedded broker that needs no setup',
    connect: 'Connect',
    connectNamed: 'Connect {name}',
    disconnect: 'Disconnect',
    disconnectNamed: 'Disconnect {name}',
    editNamed: 'Edit {name}',
    duplicate: 'Duplicate',
    duplicateNamed: 'Duplicate {name}',
    deleteNamed: 'Delete {name}',
    none: 'No profiles yet.',
    noMatch: 'No profile matches “{query}”.',
    deleteTitle: 'Delete profile',
    deleteMessage: 'Delete the profile “{name}”? Its settings cannot be recovered.',
    sandboxAddress: 'Embedded TLS broker with demo data',
  },
  status: {
    unknown: 'Unknown — backend unreachable',
    connecting: 'Connecting',
    connected: 'Connected',
    reconnecting: 'Reconnecting',
    offline: 'Offline',
    error: 'Error',
    disconnected: 'Not connected',
  },
}

/** A language's messages: the same keys as English, every value a string. */
export type Messages = Widen<typeof en>
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
