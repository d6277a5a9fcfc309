/**
 * Opens a URL in the user's default browser, best effort: browser mode still works when this
 * fails (the URL is printed), so failures are only logged.
 */
import { spawn } from 'node:child_process'

/** The command that opens a URL on this platform, or null where there is no desktop to open it on. */
export function openCommand(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): [string, string[]] | null {
  if (platform === 'darwin') return ['open', [url]]
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]]
  // Without a display, xdg-open would pick a text browser or fail noisily.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null
  return ['xdg-open', [url]]
}

/** Starts the browser detached; never throws. */
export function openInBrowser(url: string, log: (line: string) => void): void {
  const cmd = openCommand(url, process.platform, process.env)
  if (!cmd) return log('no desktop display found; open the address above in a browser')
  try {
    const child = spawn(cmd[0], cmd[1], { detached: true, stdio: 'ignore', windowsVerbatimArguments: process.platform === 'win32' })
    child.on('error', (err) => log(`could not open a browser (${err.message}); open the address above yourself`))
    child.unref()
  } catch (err) {
    log(`could not open a browser (${String(err)}); open the address above yourself`)
  }
}
