// Lint with the process boundaries built in: a file's folder says where it runs and what it
// may import, and this config makes that true (the folder table in docs/architecture.md).
import { builtinModules } from 'node:module'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'

// Matched on the import string as written. Relative specifiers are matched by the folder they
// climb into: `../core/x`, `../../core/x` and `../../electron/core/x` all reach electron/core.
const builtins = builtinModules.filter((name) => !name.startsWith('_')).join('|')
const NODE = `^(node:.+|(${builtins})(/.*)?)$`
const ELECTRON = '^electron(/|$)'
/** A relative import into one of our top-level or electron/ folders. */
const into = (...folders) => `^(\\./)?(\\.\\./)+(electron/)?(${folders.join('|')})(/|$)`
const ban = (regex, message, extra = {}) => ({ regex, message, ...extra })
/** A relative import into one of electron/core's feature folders, from inside core/. */
const CORE_FEATURE = (...features) => `^(\\./)?(\\.\\./)+((electron/)?core/)?(${features.join('|')})(/|$)`

/** Our folders under electron/, one row of the table each. */
const ELECTRON_FOLDERS = ['api', 'rpc', 'core', 'host', 'web', 'main', 'preload']
/** Never imported by main-side code: the page, the tests, build scripts and built output. */
const NOT_MAIN_SIDE = ['renderer', 'test', 'build', 'out']

/** Bans every electron/ folder that `allowed` does not name, plus everything outside electron/. */
function onlyOurs(row, allowed) {
  const denied = ELECTRON_FOLDERS.filter((f) => f !== row && !allowed.includes(f))
  const may = allowed.length ? allowed.map((f) => `electron/${f}`).join(', ') : 'nothing of ours'
  return ban(into(...denied, ...NOT_MAIN_SIDE), `electron/${row} may import ${may} and its own files, never ${denied.map((f) => f + '/').join(', ')} or anything outside electron/ (docs/architecture.md, folder table).`)
}

const noElectron = (where) => ban(ELECTRON, `${where} runs in plain Node: never import Electron here.`)
/** Raw ipcMain/ipcRenderer belong to the IPC transport halves alone; a default import would reach them too. */
const rawIpc = (...names) => ({
  name: 'electron',
  importNames: [...names, 'default'],
  message: 'Import Electron APIs by name; raw ipcMain/ipcRenderer live only in electron/rpc/ipc-main-transport.ts and electron/preload/index.ts.',
})

/**
 * One block per row of the folder table. Each source file falls under exactly one row (a later,
 * narrower block replaces an earlier one's options, so each narrower block restates the row).
 */
const rows = {
  api: {
    files: ['electron/api/**/*.ts'],
    patterns: [
      ban(NODE, 'electron/api is shared with the renderer: no Node modules.'),
      ban(ELECTRON, 'electron/api is shared with the renderer: never import Electron.'),
      ban('^(?!zod(/|$))[^.]', 'electron/api imports zod and nothing else from npm: it runs on both sides.'),
      ban('^(\\./)?\\.\\./', 'electron/api imports nothing of ours outside itself.'),
    ],
  },
  rpc: {
    files: ['electron/rpc/**/*.ts'],
    ignores: ['electron/rpc/ipc-main-transport.ts'],
    patterns: [onlyOurs('rpc', ['api']), noElectron('electron/rpc (but ipc-main-transport.ts)')],
  },
  rpcIpcMain: {
    // The IPC transport's main half is the one rpc file that speaks Electron.
    files: ['electron/rpc/ipc-main-transport.ts'],
    patterns: [onlyOurs('rpc', ['api'])],
    paths: [rawIpc('ipcRenderer')],
  },
  core: {
    files: ['electron/core/**/*.ts'],
    patterns: [onlyOurs('core', ['api']), noElectron('The engine')],
  },
  coreTls: {
    // TLS analysis sits below connections: the connection engine uses tls/, never the reverse.
    files: ['electron/core/tls/**/*.ts'],
    patterns: [
      onlyOurs('core', ['api']),
      noElectron('The engine'),
      ban(CORE_FEATURE('connections'), 'core/tls must not import core/connections: connections builds on tls, not the other way round.'),
    ],
  },
  coreDecode: {
    // The decoders are pure (bytes and a context in, a JSON-safe outcome out): no other feature.
    files: ['electron/core/decode/**/*.ts'],
    patterns: [
      onlyOurs('core', ['api']),
      noElectron('The engine'),
      ban(CORE_FEATURE('app', 'charts', 'connections', 'inspect', 'profiles-io', 'sandbox', 'storage', 'tls', 'tree', 'vault'), 'core/decode is pure: it imports electron/api, npm packages and node:zlib, never another core feature (they call it).'),
    ],
  },
  coreEncode: {
    // The payload editor's encoders are pure like the decoders, and build on them (schemas, the
    // Sparkplug schema, JSON-safe forms): decode/ is the one feature they may import.
    files: ['electron/core/encode/**/*.ts'],
    patterns: [
      onlyOurs('core', ['api']),
      noElectron('The engine'),
      ban(CORE_FEATURE('app', 'charts', 'connections', 'inspect', 'profiles-io', 'publish', 'sandbox', 'storage', 'tls', 'tree', 'vault'), 'core/encode is pure: it imports electron/api, decode/, npm packages and Node, never another core feature (publish/ calls it).'),
    ],
  },
  coreTree: {
    // The tree is the hot path's first stop; decoding reaches it only as a hook wired in core/service.ts.
    files: ['electron/core/tree/**/*.ts'],
    patterns: [
      onlyOurs('core', ['api']),
      noElectron('The engine'),
      ban(CORE_FEATURE('decode', 'inspect', 'charts'), 'core/tree must not import decode/, inspect/ or charts/: they build on the tree, and its previews get decoding as a hook (core/service.ts).'),
    ],
  },
  host: {
    files: ['electron/host/**/*.ts'],
    patterns: [onlyOurs('host', ['api', 'rpc', 'core']), noElectron('electron/host (shared by both shells)')],
  },
  web: {
    files: ['electron/web/**/*.ts'],
    patterns: [onlyOurs('web', ['api', 'rpc', 'host']), noElectron('Browser mode')],
  },
  main: {
    files: ['electron/main/**/*.ts'],
    patterns: [onlyOurs('main', ['api', 'rpc', 'host'])],
    paths: [rawIpc('ipcMain', 'ipcRenderer')],
  },
  preload: {
    files: ['electron/preload/**/*.ts'],
    patterns: [onlyOurs('preload', ['api']), ban(NODE, 'The sandboxed preload has no Node modules: only electron and electron/api.')],
    paths: [rawIpc('ipcMain')],
  },
  renderer: {
    // The renderer knows only the contract (as '@api') and its own files.
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    patterns: [
      ban(NODE, 'The renderer runs in a sandboxed page: no Node modules.'),
      ban(ELECTRON, 'The renderer never imports Electron; it talks through the contract.'),
      ban(into('electron', 'test', 'build', 'out', 'node_modules'), "Import the contract as '@api', nothing else from outside renderer/."),
      ban('^@api/(.*/)?\\.\\.(/|$)', "'@api' is electron/api alone: do not climb out of it."),
    ],
  },
  test: {
    // Tests may import anything of ours; Electron only as types, since Vitest runs in plain Node
    // where 'electron' is just the path of its binary.
    files: ['test/**/*.ts'],
    patterns: [ban(ELECTRON, "Vitest runs in plain Node: import Electron's types only (import type).", { allowTypeImports: true })],
  },
}

const boundaryRows = Object.values(rows).map(({ files, ignores, patterns, paths = [] }) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
}))

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', 'test/.tmp/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module', extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    // Tests mount small host components next to each other to drive composables and stores.
    files: ['test/**/*.ts'],
    rules: { 'vue/one-component-per-file': 'off' },
  },
  ...boundaryRows,
)
