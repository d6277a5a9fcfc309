/**
 * A command's title in the UI's language. The contract's English titles (electron/api/commands.ts)
 * name commands in the desktop menu and the README; the palette and the sheet show and search
 * these instead. Keys are the ids with their dot as an underscore; the nine tab commands share one.
 */
import type { CommandId } from '@api'

type Translate = (key: string, params?: Record<string, unknown>) => string

export function commandTitle(id: CommandId, t: Translate): string {
  const tab = /^tabs\.go(\d)$/.exec(id)
  if (tab) return t('commands.titles.tabs_go', { n: Number(tab[1]) })
  return t(`commands.titles.${id.replace('.', '_')}`)
}
