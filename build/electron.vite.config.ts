/**
 * One build for the three targets. The main bundle has three entries: `index` (the Electron main
 * process), `web` (the browser-mode host, plain Node) and `recording-worker` (a recorder's encoder
 * thread, found at run time beside them by electron/core/recording/worker-file.ts). The preload is one CommonJS file, as a
 * sandboxed preload must be.
 */
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const root = resolve(import.meta.dirname, '..')
const at = (p: string) => resolve(root, p)

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      rollupOptions: { input: { index: at('electron/main/index.ts'), web: at('electron/web/cli.ts'), 'recording-worker': at('electron/core/recording/recording-worker.ts') } },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: at('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [vue()],
    resolve: { alias: { '@api': at('electron/api') } },
    // vue-i18n's build flags. Composition API only (no legacy API, no global $t/<i18n-t>
    // install), no devtools hooks in production. The message compiler stays in: our messages are
    // plain TS objects compiled at run time to an AST and interpreted, never to code, so the
    // CSP needs no 'unsafe-eval'. (vue-i18n 11 has no __INTLIFY_JIT_COMPILATION__ flag any more:
    // the AST compiler is the only one it has.)
    define: {
      __VUE_I18N_FULL_INSTALL__: false,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
      __INTLIFY_DROP_MESSAGE_COMPILER__: false,
    },
    // Monaco: its workers are ES modules bundled beside the app (offline, worker-src 'self'), and
    // the editor is a chunk of its own, fetched on the first `import()` (lib/monaco/load.ts).
    worker: { format: 'es' },
    build: {
      outDir: at('out/renderer'),
      // Monaco's chunk is about 3 MB by design: it loads lazily, never with the first paint.
      chunkSizeWarningLimit: 4096,
      // No manualChunks: the dynamic import alone gives Monaco its own chunk, where a manual chunk
      // would also catch Vite's preload helper and so be preloaded with the first paint.
      rollupOptions: { input: at('renderer/index.html') },
    },
  },
})
