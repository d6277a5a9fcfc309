/**
 * Electron main process (built to out/main/index.js). Thin by design: it owns lifecycle, the one
 * secure window, the menu, the app:// protocol and the IPC wiring. Everything the app does runs
 * in the same plain-Node service that browser mode uses.
 */
import { app, type BaseWindow, BrowserWindow, dialog, Menu, net, protocol, screen, session, shell, type IpcMainInvokeEvent } from 'electron'
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ipcEventPeer, serveIpcRequests } from '../rpc/ipc-main-transport'
import type { RpcPeer } from '../rpc/server'
import type { CommandId } from '../api/commands'
import type { EventFrame } from '../api/wire'
import { createBackend, type Backend } from '../host/backend'
import { prepareDataDir } from '../host/data-dir'
import { buildCsp } from '../host/csp'
import { INDEX_FILE, mimeType } from '../host/static-files'
import { APP_ENTRY_URL, APP_SCHEME, isTrustedSender, resolveAppUrl } from './app-protocol'
import { hardenBeforeReady } from './before-ready'
import { buildMenuTemplate } from './menu-template'
import { createWebContentsGuard } from './web-contents-guard'
import { createWindowOptions, WINDOW_DEFAULT_SIZE, WINDOW_MIN_SIZE } from './window-options'
import { createSaveFileAs } from './save-file'
import { isRecordingFile, OpenFileQueue, recordingPathsFromArgv } from './open-files'
import { fitWindowState, readWindowState, writeWindowState } from './window-state'

const mainDir = dirname(fileURLToPath(import.meta.url)) // out/main
const rendererDir = join(mainDir, '..', 'renderer')
const preloadPath = join(mainDir, '..', 'preload', 'index.cjs')
const dev = !app.isPackaged
const CSP = buildCsp()
/** Longest a clean shutdown may hold up quitting. */
const SHUTDOWN_GRACE_MS = 5000

function log(line: string): void {
  process.stderr.write(`[main] ${line}\n`)
}

// Before 'ready': every renderer sandboxed, and the app:// scheme gets a real origin, fetch and secure-context status.
hardenBeforeReady(app, protocol)

let mainWindow: BrowserWindow | null = null
let backend: Backend | null = null
let dataDir: string | null = null
/** Recordings the OS asked us to open, held until the engine and the window are up. */
const opens = new OpenFileQueue()
/** The attached RPC peer of each window's web contents, by webContents id. */
const peers = new Map<number, RpcPeer>()

if (!app.requestSingleInstanceLock()) {
  // Two instances would fight over the same profiles file and keychain entries.
  app.quit()
} else {
  // A recording opened from the OS: macOS says so with 'open-file' (also before 'ready', for the
  // file that launched the app); Windows and Linux start the app, or a second instance, with it.
  app.on('open-file', (event, path) => {
    event.preventDefault()
    if (isRecordingFile(path)) opens.add([path])
  })
  opens.add(recordingPathsFromArgv(process.argv, { cwd: process.cwd(), packaged: app.isPackaged }))
  app.on('second-instance', (_event, argv, workingDirectory) => {
    opens.add(recordingPathsFromArgv(argv, { cwd: workingDirectory, packaged: app.isPackaged }))
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  hardenAllWebContents()
  app.whenReady().then(start).catch((err: unknown) => {
    log(`failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}`)
    app.exit(1)
  })
}

async function start(): Promise<void> {
  registerAppProtocol()
  denyPermissions()
  app.setAboutPanelOptions({ applicationName: 'MQTTS Explorer', applicationVersion: app.getVersion() })
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate({ isMac: process.platform === 'darwin', dev, appName: 'MQTTS Explorer', onAbout: () => app.showAboutPanel(), onCommand: sendCommand })),
  )

  // Electron may have made userData already, with the umask's 0755: it holds the vault and key logs.
  dataDir = app.getPath('userData')
  const prepared = await prepareDataDir(dataDir, { ours: true })
  if (prepared.warning) log(prepared.warning)
  const saveFileAs = createSaveFileAs(
    (options) => (mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)),
    () => app.getPath('documents'),
  )
  backend = await createBackend({ dataDir, mode: 'electron', version: app.getVersion(), log, saveFileAs })
  serveIpcRequests(backend.rpc, { isTrusted: isOurMainFrame, peerFor: (event) => peers.get(event.sender.id), log })

  createWindow()
  opens.ready(openRecording)
  app.on('activate', () => {
    if (!mainWindow) createWindow()
  })
}

/** A menu item was chosen: the window it was chosen in (ours, focused) runs the command from its registry. */
function sendCommand(id: CommandId, window: BaseWindow | undefined): void {
  const win = window instanceof BrowserWindow ? window : mainWindow
  if (!win || win.isDestroyed()) return
  const frame: EventFrame<'app.command'> = { t: 'evt', name: 'app.command', payload: { id } }
  // Straight to that window's peer: a command is for the window it was chosen in, never paced or broadcast.
  peers.get(win.webContents.id)?.send(frame)
}

/** Only our window's top-level frame, showing our own origin, may call the service. */
function isOurMainFrame(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame
  return !!mainWindow && !mainWindow.isDestroyed() && event.sender === mainWindow.webContents && !!frame && frame.parent === null && isTrustedSender(frame.url)
}

/** Opens a recording the OS handed us offline; its tab comes to front in the window. */
async function openRecording(path: string): Promise<void> {
  if (!backend) return
  try {
    await backend.service.openRecordingFile(path)
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    log(`could not open ${path}: ${message}`)
    dialog.showErrorBox('The recording could not be opened', message)
  }
}

function createWindow(): void {
  const iconPath = join(mainDir, '..', '..', 'build', 'icons', 'icon.png')
  const saved = dataDir ? readWindowState(dataDir) : null
  const place = fitWindowState(saved, screen.getAllDisplays().map((d) => d.workArea), WINDOW_DEFAULT_SIZE, WINDOW_MIN_SIZE)
  const win = new BrowserWindow(createWindowOptions({ preloadPath, dev, iconPath: !app.isPackaged && existsSync(iconPath) ? iconPath : undefined, bounds: place }))
  mainWindow = win
  // Remembered for the next run: the size it has when not maximised, and whether it was.
  win.on('close', () => {
    if (!dataDir) return
    try {
      writeWindowState(dataDir, { ...win.getNormalBounds(), maximized: win.isMaximized() })
    } catch (err) {
      log(`could not remember the window's place: ${String(err)}`)
    }
  })
  const contentsId = win.webContents.id
  let detach: (() => void) | undefined
  // A fresh peer per page load: a reloaded renderer starts with no views, so the service must drop the old ones.
  const attachPeer = () => {
    detach?.()
    const peer = ipcEventPeer(win.webContents)
    peers.set(contentsId, peer)
    detach = backend?.rpc.attach(peer)
  }
  attachPeer()
  let loads = 0
  win.webContents.on('did-navigate', () => {
    if (loads++ > 0) attachPeer()
  })
  win.once('ready-to-show', () => {
    // Maximised here, not at creation: maximize() shows a hidden window on some systems.
    if (place.maximized) win.maximize()
    win.show()
  })
  win.on('closed', () => {
    detach?.()
    peers.delete(contentsId)
    if (mainWindow === win) mainWindow = null
  })
  void win.loadURL(APP_ENTRY_URL)
}

/** Serves out/renderer under app://mqtts with our CSP; nothing outside that folder is reachable. */
function registerAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppUrl(request.url, rendererDir)
    if (!target) return new Response('Not found', { status: 404 })
    let file = target.file
    const info = await stat(file).catch(() => null)
    if ((!info || !info.isFile()) && target.spaRoute) file = join(rendererDir, INDEX_FILE)
    const res = await net.fetch(pathToFileURL(file).toString()).catch(() => null)
    if (!res || !res.ok) return new Response('Not found', { status: 404 })
    return new Response(res.body, {
      status: 200,
      headers: {
        'Content-Type': mimeType(file),
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': file.endsWith(INDEX_FILE) ? 'no-store' : 'no-cache',
      },
    })
  })
}

/** The app needs no camera, location or notifications; clipboard writes from our own page are allowed for "copy" buttons. */
function denyPermissions(): void {
  // isTrustedSender parses the URL: a prefix test would also pass app://mqtts.other or app://mqtts@other.
  const allowed = (permission: string, origin: string) => permission === 'clipboard-sanitized-write' && isTrustedSender(origin)
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => {
    const ok = allowed(permission, contents.getURL())
    if (!ok) log(`denied permission "${permission}"`)
    callback(ok)
  })
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) => allowed(permission, origin))
}

/**
 * No frame navigates away from the app, no new windows, no <webview>; allowed documentation links
 * open in the system browser. Applies to every web contents ever created.
 */
function hardenAllWebContents(): void {
  const guard = createWebContentsGuard({
    openExternal: (url) => void shell.openExternal(url).catch((err: unknown) => log(`could not open ${url}: ${String(err)}`)),
    log,
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-frame-navigate', guard.onWillFrameNavigate)
    contents.on('will-navigate', guard.onWillNavigate)
    contents.on('will-redirect', guard.onWillRedirect)
    contents.on('will-attach-webview', guard.onWillAttachWebview)
    contents.setWindowOpenHandler(guard.windowOpenHandler)
  })
}

// Disconnect brokers and stop the sandbox before quitting; a stuck close must not block quit forever.
let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !backend) return
  quitting = true
  event.preventDefault()
  const current = backend
  const timer = setTimeout(() => app.exit(0), SHUTDOWN_GRACE_MS)
  current
    .close()
    .catch((err: unknown) => log(`shutdown: ${String(err)}`))
    .finally(() => {
      clearTimeout(timer)
      backend = null
      app.quit()
    })
})

app.on('window-all-closed', () => {
  // macOS apps stay running without windows; elsewhere closing the window ends the app.
  if (process.platform !== 'darwin') app.quit()
})
