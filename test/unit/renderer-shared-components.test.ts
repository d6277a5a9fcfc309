/**
 * Controls that mean the same thing are built once: the tab strips from one TabStrip, the QoS
 * and TLS version pickers from one component each. A hand-built copy would drift (one strip
 * with Home/End, the other without), so this pins where each is written.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../renderer/src')
const views = readdirSync(src, { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.vue'))
  .map((entry) => join(entry.parentPath, entry.name))

/** The .vue files (relative to renderer/src) whose text matches `pattern`. */
const writtenIn = (pattern: RegExp) => views.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(src, file))

describe('shared renderer controls', () => {
  it('builds every tab strip from TabStrip.vue', () => {
    expect(writtenIn(/role="tab(list)?"/)).toEqual(['components/common/TabStrip.vue'])
    expect(writtenIn(/<TabStrip\b/).sort()).toEqual(['components/connections/ConnectionTabs.vue', 'components/publish/PublishPanel.vue', 'components/tree/ConnectionViews.vue'])
  })

  it('writes the QoS options and the TLS version options once each', () => {
    expect(writtenIn(/<option :value="2">2<\/option>/)).toEqual(['components/common/QosSelect.vue'])
    expect(writtenIn(/<option value="TLSv1\.3">/)).toEqual(['components/editor/TlsVersionSelect.vue'])
  })
})
