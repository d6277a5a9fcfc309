// Shared by `npm run bench` and `npm run screenshots`: bundles TypeScript entry points with
// esbuild (shipped with vite) into node_modules/.cache, so bare imports resolve from the
// project's node_modules, then runs the first entry with Node.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import { appRoot } from './launch-helpers.mjs'

/**
 * `entries` maps output names to source paths (relative to the project root); `main` names the
 * one to run. Resolves with the child's exit code.
 */
export async function bundleAndRun({ cacheName, entries, main, nodeFlags = [], args = [], env = {} }) {
  // One bundle per checkout: worktrees that share node_modules must not run each other's code.
  const outDir = resolve(appRoot, 'node_modules/.cache', cacheName, createHash('sha256').update(appRoot).digest('hex').slice(0, 12))
  await mkdir(outDir, { recursive: true })
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, resolve(appRoot, path)])),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  })
  const child = spawn(process.execPath, [...nodeFlags, '--enable-source-maps', resolve(outDir, `${main}.mjs`), ...args], {
    cwd: appRoot,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  return new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code ?? 1)))
}
