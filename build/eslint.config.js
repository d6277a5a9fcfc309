// Lint with the process boundaries built in: a file's folder says where it runs and what it
// may import, and this config makes that true (see /ARCHITECTURE in docs and README).
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'

// Anchored ('/tls'), so that our own folders with the same name (components/tls/) stay importable.
const nodeBuiltins = ['node:*', ...['fs', 'path', 'os', 'net', 'tls', 'crypto', 'child_process', 'http', 'https', 'stream', 'events', 'util', 'url', 'worker_threads'].map((name) => `/${name}`)]
const ban = (group, message) => ({ group, message })

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
  {
    // The contract is shared by both sides: nothing from Node, the DOM shell or Electron.
    files: ['electron/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ban(nodeBuiltins, 'electron/api is shared with the renderer: no Node modules.'),
        ban(['electron', 'electron/*'], 'electron/api must not import Electron.'),
        ban(['../*'], 'electron/api imports nothing of ours outside itself.'),
      ] }],
    },
  },
  {
    // The engine runs in plain Node (browser mode, tests) as well as in Electron's main process.
    files: ['electron/core/**/*.ts', 'electron/rpc/**/*.ts', 'electron/web/**/*.ts'],
    // The IPC transport's main half is the one rpc file that speaks Electron.
    ignores: ['electron/rpc/ipc-main-transport.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ban(['electron'], 'The engine must run in plain Node: never import Electron here.'),
        ban(['**/renderer/**', '**/main/**', '**/preload/**'], 'The engine never imports the renderer or the Electron shell.'),
      ] }],
    },
  },
  {
    // Raw ipcMain/ipcRenderer live only in the IPC transport halves.
    files: ['electron/**/*.ts'],
    ignores: ['electron/rpc/ipc-main-transport.ts', 'electron/preload/index.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]", message: 'Use the IPC transport (electron/rpc/ipc-main-transport.ts, electron/preload/index.ts), not raw ipcMain/ipcRenderer.' }],
    },
  },
  {
    // The renderer knows only the contract (as '@api') and its own files.
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ban(nodeBuiltins, 'The renderer runs in a sandboxed page: no Node modules.'),
        ban(['electron', 'electron/*'], 'The renderer never imports Electron; it talks through the contract.'),
        ban(['**/electron/**'], "Import the contract as '@api', nothing else from electron/."),
      ] }],
    },
  },
)
