/**
 * The main window's size, position and maximised state, remembered between runs in
 * `<userData>/window-state.json`. Restoring checks the saved place against today's displays: a
 * window saved on a monitor that is gone, or from a larger screen, comes back whole on one that
 * is there. Pure functions plus two small file helpers, unit-tested without Electron.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  /** Absent: centred by the OS. */
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export const WINDOW_STATE_FILE = 'window-state.json'
/** How much of the window's top edge (its title bar) must be on a display to keep its position. */
const GRIP_PX = 48

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A saved state, or null when the file holds anything else. */
export function parseWindowState(value: unknown): WindowState | null {
  if (!value || typeof value !== 'object') return null
  const v = value as Record<string, unknown>
  if (!finite(v.width) || !finite(v.height) || v.width <= 0 || v.height <= 0) return null
  const state: WindowState = { width: Math.round(v.width), height: Math.round(v.height), maximized: v.maximized === true }
  if (finite(v.x) && finite(v.y)) {
    state.x = Math.round(v.x)
    state.y = Math.round(v.y)
  }
  return state
}

/**
 * Where the window opens: the saved state fitted to the displays' work areas. The size is kept
 * within the display it lands on (and never below `min`); the position is kept only when the
 * window's title bar is on a display, so it can always be grabbed.
 */
export function fitWindowState(saved: WindowState | null, workAreas: readonly Rect[], defaults: { width: number; height: number }, min: { width: number; height: number }): WindowState {
  if (!saved || workAreas.length === 0) return { ...defaults, maximized: saved?.maximized ?? false }
  const placed = saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : null
  const area = (placed && workAreas.find((a) => gripVisible({ ...placed, width: saved.width }, a))) || null
  const bounds = area ?? workAreas[0]!
  const width = Math.max(min.width, Math.min(saved.width, bounds.width))
  const height = Math.max(min.height, Math.min(saved.height, bounds.height))
  const state: WindowState = { width, height, maximized: saved.maximized }
  if (area && placed) {
    // Pulled back inside the display when the size had to shrink or it hung over an edge.
    state.x = Math.min(Math.max(placed.x, area.x), area.x + area.width - width)
    state.y = Math.min(Math.max(placed.y, area.y), area.y + area.height - height)
  }
  return state
}

function gripVisible(win: { x: number; y: number; width: number }, area: Rect): boolean {
  const overlap = Math.min(win.x + win.width, area.x + area.width) - Math.max(win.x, area.x)
  return overlap >= GRIP_PX && win.y >= area.y && win.y < area.y + area.height - GRIP_PX / 2
}

/** The saved state in `dir`, or null (no file yet, or unreadable). */
export function readWindowState(dir: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(join(dir, WINDOW_STATE_FILE), 'utf8')))
  } catch {
    return null
  }
}

/** Writes the state atomically (a temp file renamed over the old one): a crash leaves the old or the new. */
export function writeWindowState(dir: string, state: WindowState): void {
  const path = join(dir, WINDOW_STATE_FILE)
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, JSON.stringify(state) + '\n', { mode: 0o600 })
  renameSync(temp, path)
}
