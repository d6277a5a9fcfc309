/**
 * "Save as…" for recordings and exports: the OS save dialog, then a copy of the finished file to
 * where the user chose. The file stays in the library too; the dialog is the main process's, so
 * the renderer never names a path on disk.
 */
import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface SaveDialog {
  (options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>
}

/** Dialog filters for a file name: JSON Lines (gzip or not) or CSV, and always "All files". */
export function saveFilters(fileName: string): { name: string; extensions: string[] }[] {
  const lower = fileName.toLowerCase()
  const first = lower.endsWith('.csv')
    ? { name: 'CSV', extensions: ['csv'] }
    : lower.endsWith('.gz')
      ? { name: 'Recording (JSON Lines, gzip)', extensions: ['gz'] }
      : { name: 'Recording (JSON Lines)', extensions: ['jsonl'] }
  return [first, { name: 'All files', extensions: ['*'] }]
}

export function createSaveFileAs(showSaveDialog: SaveDialog, defaultDir: () => string, copy: (from: string, to: string) => Promise<void> = copyFile) {
  return async (suggestedName: string, sourcePath: string): Promise<string | null> => {
    const result = await showSaveDialog({ title: 'Save recording', defaultPath: join(defaultDir(), suggestedName), filters: saveFilters(suggestedName) })
    if (result.canceled || !result.filePath) return null
    // Never onto itself (a user pointing the dialog into the library folder).
    if (result.filePath !== sourcePath) await copy(sourcePath, result.filePath)
    return result.filePath
  }
}
