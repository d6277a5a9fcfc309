/**
 * The folder table in docs/architecture.md, row by row, as lint sees it: for each folder a file
 * placed there with a wrong import fails `no-restricted-imports`, and one with an allowed import
 * passes. Probes are linted in memory (lintText with a path inside the folder), so no stray file
 * is ever left in the tree.
 */
import { readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..', '..')
let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: 'build/eslint.config.js' })
})

/** The no-restricted-imports messages for `code` placed at `file` (relative to the repo root). */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) })
  const fatal = result.messages.filter((m) => m.fatal)
  if (fatal.length) throw new Error(`${file} did not parse: ${fatal[0].message}`)
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

interface Row {
  folder: string
  /** Where the probe file sits. */
  probe: string
  /** Imports this row forbids, with a pattern the error message must match. */
  wrong: Array<[code: string, message: RegExp]>
  /** Imports this row allows. */
  allowed: string[]
}

const rows: Row[] = [
  {
    folder: 'electron/api',
    probe: 'electron/api/__lint_probe__.ts',
    wrong: [
      ["import { createService } from '../core/service'", /nothing of ours outside itself/],
      ["import { readFile } from 'node:fs/promises'", /no Node modules/],
      ["import { createHash } from 'crypto'", /no Node modules/],
      ["import { app } from 'electron'", /never import Electron/],
      ["import mqtt from 'mqtt'", /zod and nothing else from npm/],
    ],
    allowed: ["import { z } from 'zod'", "import { ERROR_CODES } from './errors'"],
  },
  {
    folder: 'electron/rpc',
    probe: 'electron/rpc/__lint_probe__.ts',
    wrong: [
      ["import { createService } from '../core/service'", /electron\/rpc may import electron\/api/],
      ["import { createBackend } from '../host/backend'", /electron\/rpc may import/],
      ["import { startWebHost } from '../web/web-host'", /electron\/rpc may import/],
      ["import { openWindow } from '../../renderer/src/main'", /electron\/rpc may import/],
      ["import { ipcMain } from 'electron'", /never import Electron/],
    ],
    allowed: ["import { methods } from '../api'", "import type { WebSocket } from 'ws'", "import { EventEmitter } from 'node:events'"],
  },
  {
    folder: 'electron/rpc/ipc-main-transport.ts',
    probe: 'electron/rpc/ipc-main-transport.ts',
    wrong: [
      ["import { ipcRenderer } from 'electron'", /raw ipcMain\/ipcRenderer live only/],
      ["import { createService } from '../core/service'", /electron\/rpc may import/],
    ],
    allowed: ["import { ipcMain, type IpcMainInvokeEvent } from 'electron'", "import { isRequestFrame } from '../api'"],
  },
  {
    folder: 'electron/core',
    probe: 'electron/core/__lint_probe__.ts',
    wrong: [
      ["import { createRpcServer } from '../rpc/server'", /electron\/core may import electron\/api/],
      ["import { createBackend } from '../host/backend'", /electron\/core may import/],
      ["import { buildCsp } from '../../electron/host/csp'", /electron\/core may import/],
      ["import { startWebHost } from '../web/web-host'", /electron\/core may import/],
      ["import { createWindowOptions } from '../main/window-options'", /electron\/core may import/],
      ["import { startMosquitto } from '../../test/fixtures/mosquitto'", /electron\/core may import/],
      ["import { app } from 'electron'", /never import Electron/],
    ],
    allowed: ["import { ERROR_CODES } from '../api'", "import { connect } from 'node:tls'", "import mqtt from 'mqtt'"],
  },
  {
    folder: 'electron/core/<feature>',
    probe: 'electron/core/vault/__lint_probe__.ts',
    wrong: [
      ["import { createRpcServer } from '../../rpc/server'", /electron\/core may import/],
      ["import { createBackend } from '../../host/backend'", /electron\/core may import/],
    ],
    allowed: ["import { ERROR_CODES } from '../../api'", "import { buildTlsOptions } from '../tls/tls-options'"],
  },
  {
    folder: 'electron/core/tls',
    probe: 'electron/core/tls/__lint_probe__.ts',
    wrong: [
      ["import { connackDetails } from '../connections/connack-details'", /core\/tls must not import core\/connections/],
      ["import { createRpcServer } from '../../rpc/server'", /electron\/core may import/],
    ],
    allowed: ["import { ERROR_CODES } from '../../api'", "import { connect } from 'node:tls'"],
  },
  {
    folder: 'electron/core/decode',
    probe: 'electron/core/decode/__lint_probe__.ts',
    wrong: [
      ["import { TreeManager } from '../tree/tree-manager'", /core\/decode is pure/],
      ["import { createRpcServer } from '../../rpc/server'", /electron\/core may import/],
    ],
    allowed: ["import type { DecoderId } from '../../api/inspect'", "import { gunzipSync } from 'node:zlib'", "import type { JsonValue } from './types'"],
  },
  {
    folder: 'electron/core/encode',
    probe: 'electron/core/encode/__lint_probe__.ts',
    wrong: [
      ["import { publishService } from '../publish/service'", /core\/encode is pure/],
      ["import { InspectManager } from '../inspect/inspect-manager'", /core\/encode is pure/],
      ["import { createRpcServer } from '../../rpc/server'", /electron\/core may import/],
    ],
    allowed: ["import type { PayloadDraft } from '../../api'", "import { sparkplugPayloadType } from '../decode/sparkplug/schema'", "import { gzipSync } from 'node:zlib'", "import { ByteWriter } from './byte-writer'"],
  },
  {
    folder: 'electron/core/tree',
    probe: 'electron/core/tree/__lint_probe__.ts',
    wrong: [
      ["import { decodePayload } from '../decode/pipeline'", /core\/tree must not import decode/],
      ["import { inspectService } from '../inspect/service'", /core\/tree must not import decode/],
    ],
    allowed: ["import { ERROR_CODES } from '../../api'", "import { TopicTree } from './topic-tree'"],
  },
  {
    folder: 'electron/host',
    probe: 'electron/host/__lint_probe__.ts',
    wrong: [
      ["import { securityHeaders } from '../web/request-guard'", /electron\/host may import electron\/api, electron\/rpc, electron\/core/],
      ["import { APP_SCHEME } from '../main/app-protocol'", /electron\/host may import/],
      ["import { app } from 'electron'", /never import Electron/],
    ],
    allowed: ["import { createService } from '../core/service'", "import { createRpcServer } from '../rpc/server'", "import type { AppInfo } from '../api'"],
  },
  {
    folder: 'electron/web',
    probe: 'electron/web/__lint_probe__.ts',
    wrong: [
      ["import { APP_SCHEME } from '../main/app-protocol'", /electron\/web may import electron\/api, electron\/rpc, electron\/host/],
      ["import { createService } from '../core/service'", /electron\/web may import/],
      ["import { shell } from 'electron'", /never import Electron/],
    ],
    allowed: ["import { createBackend } from '../host/backend'", "import { serveWebSocket } from '../rpc/ws-transport'", "import { WebSocketServer } from 'ws'"],
  },
  {
    folder: 'electron/main',
    probe: 'electron/main/__lint_probe__.ts',
    wrong: [
      ["import { securityHeaders } from '../web/request-guard'", /electron\/main may import electron\/api, electron\/rpc, electron\/host/],
      ["import { createService } from '../core/service'", /electron\/main may import/],
      ["import '../preload/index'", /electron\/main may import/],
      ["import { ipcMain } from 'electron'", /raw ipcMain\/ipcRenderer live only/],
    ],
    allowed: ["import { app, BrowserWindow } from 'electron'", "import { createBackend } from '../host/backend'", "import { serveIpcRequests } from '../rpc/ipc-main-transport'"],
  },
  {
    folder: 'electron/preload',
    probe: 'electron/preload/__lint_probe__.ts',
    wrong: [
      ["import { createService } from '../core/service'", /electron\/preload may import electron\/api/],
      ["import { createRpcServer } from '../rpc/server'", /electron\/preload may import/],
      ["import { APP_SCHEME } from '../main/app-protocol'", /electron\/preload may import/],
      ["import { readFileSync } from 'node:fs'", /no Node modules/],
      ["import { ipcMain } from 'electron'", /raw ipcMain\/ipcRenderer live only/],
    ],
    allowed: ["import { contextBridge, ipcRenderer } from 'electron'", "import { BRIDGE_GLOBAL } from '../api/bridge'"],
  },
  {
    folder: 'renderer/src',
    probe: 'renderer/src/stores/__lint_probe__.ts',
    wrong: [
      ["import { createService } from '../../../electron/core/service'", /Import the contract as '@api'/],
      ["import { ERROR_CODES } from '../../../electron/api'", /Import the contract as '@api'/],
      ["import { startMosquitto } from '../../../test/fixtures/mosquitto'", /Import the contract as '@api'/],
      ["import { createService } from '@api/../core/service'", /do not climb out of it/],
      ["import { readFile } from 'node:fs'", /no Node modules/],
      ["import { ipcRenderer } from 'electron'", /never imports Electron/],
    ],
    allowed: ["import { ERROR_CODES } from '@api'", "import { ref } from 'vue'", "import { defineStore } from 'pinia'", "import { formatBytes } from '../lib/format'"],
  },
  {
    folder: 'renderer/src (.vue)',
    probe: 'renderer/src/components/LintProbe.vue',
    wrong: [["import { createService } from '../../../electron/core/service'", /Import the contract as '@api'/]],
    allowed: ["import { ERROR_CODES } from '@api'"],
  },
  {
    folder: 'test',
    probe: 'test/unit/__lint_probe__.ts',
    wrong: [["import { app } from 'electron'", /import Electron's types only/]],
    allowed: ["import type { App } from 'electron'", "import { createService } from '../../electron/core/service'", "import { createBackend } from '../../electron/host/backend'"],
  },
]

/** A probe's whole text: the import under test, as a module (a .vue probe gets a script block). */
function probeText(file: string, statement: string): string {
  const script = `${statement}\nexport const probe = 1\n`
  return file.endsWith('.vue') ? `<script setup lang="ts">\n${script}</script>\n\n<template><p /></template>\n` : script
}

describe('lint holds every row of the folder table', () => {
  for (const row of rows) {
    describe(row.folder, () => {
      for (const [code, message] of row.wrong) {
        it(`refuses ${code}`, async () => {
          const errors = await boundaryErrors(row.probe, probeText(row.probe, code))
          expect(errors.length, `${row.probe}: ${code} passed lint`).toBeGreaterThan(0)
          expect(errors.join('\n')).toMatch(message)
        })
      }
      for (const code of row.allowed) {
        it(`allows ${code}`, async () => {
          expect(await boundaryErrors(row.probe, probeText(row.probe, code))).toEqual([])
        })
      }
    })
  }

  it('puts every source file under one row', async () => {
    const files: string[] = []
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (/\.(ts|vue)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path)
      }
    }
    for (const dir of ['electron', 'renderer/src', 'test']) walk(join(root, dir))
    const uncovered: string[] = []
    for (const file of files) {
      const config = await eslint.calculateConfigForFile(file)
      if (!config?.rules?.['no-restricted-imports']) uncovered.push(relative(root, file))
    }
    expect(files.length).toBeGreaterThan(100)
    expect(uncovered).toEqual([])
  })
})
