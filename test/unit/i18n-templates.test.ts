/**
 * No new UI string slips in untranslated: every component template under
 * renderer/src/components is parsed (Vue's own compiler) and its text nodes, its static
 * aria-label / title / placeholder / label attributes, and the string literals inside its
 * `{{ }}` and bound attributes of those names must not hold English words outside `t()`.
 * Symbols, numbers and names that are the same in every language (MQTT, TLS, QoS, …) are allowed.
 * Every component is held to it: the list of files still to translate is empty and gone.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from '@vue/compiler-sfc'
import { NodeTypes, type AttributeNode, type DirectiveNode, type ElementNode, type TemplateChildNode } from '@vue/compiler-dom'

const COMPONENTS = resolve(import.meta.dirname, '../../renderer/src/components')

/** Words and units every language writes the same way. */
const SAME_EVERYWHERE = /\b(MQTT|MQTTS|TLS|QoS|JSON|CBOR|CSV|UTF-8|UTF|ALPN|SNI|PEM|DER|PKCS#?12|SHA-256|SPKI|CA|ID|URL|Sparkplug|Protobuf|MessagePack|Avro|hex|base64|KB|MB|GB|ms|B|s|v\d|x509|OCSP|WebSocket|SSLKEYLOGFILE|Wireshark|mosquitto|Sandbox)\b/g
const WATCHED_ATTRS = new Set(['aria-label', 'title', 'placeholder', 'label', 'confirm-label', 'message', 'aria-description'])

/** Text a person reads that has words in it (after taking out what needs no translation). */
function hasWords(text: string): boolean {
  // A topic, filter or path (sensors/#, /home/me) is a machine format, the same in every language.
  if (/^[\w$#+.:/-]*\/[\w$#+.:/-]*$/.test(text.trim())) return false
  return /[A-Za-z]{2,}/.test(text.replace(SAME_EVERYWHERE, ''))
}

/** String literals in an expression that are not a t() key and read like words for a person. */
function wordyLiterals(expression: string): string[] {
  const stripped = expression.replace(/\bt\(\s*(['`])[^'`]*\1/g, 't(')
  const found: string[] = []
  for (const m of stripped.matchAll(/'([^'\\]*)'|`([^`\\]*)`/g)) {
    const literal = (m[1] ?? m[2] ?? '').replace(/\$\{[^}]*\}/g, ' ')
    // Sentences and capitalised words; lower-case single words are values (class names, modes).
    if (hasWords(literal) && (/[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(literal) || /^[A-Z][a-z]+/.test(literal.trim()))) found.push(literal.trim())
  }
  return found
}

function scan(nodes: TemplateChildNode[], out: string[]): void {
  for (const node of nodes) {
    if (node.type === NodeTypes.TEXT) {
      if (hasWords(node.content)) out.push(`text “${node.content.trim()}” (line ${node.loc.start.line})`)
    } else if (node.type === NodeTypes.INTERPOLATION) {
      for (const literal of wordyLiterals(node.content.loc.source)) out.push(`“${literal}” in {{ }} (line ${node.loc.start.line})`)
    } else if (node.type === NodeTypes.ELEMENT) {
      const element = node as ElementNode
      for (const prop of element.props) {
        if (prop.type === NodeTypes.ATTRIBUTE) {
          const attr = prop as AttributeNode
          if (WATCHED_ATTRS.has(attr.name) && attr.value && hasWords(attr.value.content)) out.push(`${attr.name}="${attr.value.content}" (line ${attr.loc.start.line})`)
        } else {
          const dir = prop as DirectiveNode
          const arg = dir.arg && dir.arg.type === NodeTypes.SIMPLE_EXPRESSION ? dir.arg.content : ''
          if (dir.name === 'bind' && WATCHED_ATTRS.has(arg) && dir.exp) for (const literal of wordyLiterals(dir.exp.loc.source)) out.push(`:${arg} “${literal}” (line ${dir.loc.start.line})`)
        }
      }
      scan(element.children, out)
    } else if (node.type === NodeTypes.IF) {
      for (const branch of node.branches) scan(branch.children, out)
    } else if (node.type === NodeTypes.FOR) {
      scan(node.children, out)
    }
  }
}

/** What a template shows in English outside t(). */
export function untranslatedStrings(source: string): string[] {
  const { descriptor } = parse(source)
  const out: string[] = []
  if (descriptor.template?.ast) scan(descriptor.template.ast.children, out)
  return out
}

async function vueFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await vueFiles(path)))
    else if (entry.name.endsWith('.vue')) out.push(path)
  }
  return out
}

describe('component templates', () => {
  it('show no English text outside t()', async () => {
    const found: string[] = []
    for (const file of await vueFiles(COMPONENTS)) {
      const name = relative(COMPONENTS, file).split('\\').join('/')
      for (const s of untranslatedStrings(await readFile(file, 'utf8'))) found.push(`${name}: ${s}`)
    }
    expect(found).toEqual([])
  })

  it('the scan catches text, attributes and literals, and lets symbols, names and t() through', () => {
    const bad = untranslatedStrings(`<template><div title="Close it" :aria-label="x ? 'Show more' : t('a.b')"><p>Hello there</p>{{ open ? 'Collapse' : '' }}</div></template>`)
    expect(bad).toHaveLength(4)
    const good = untranslatedStrings(`<template><div :title="t('a.b', { n })" :class="x ? 'dark' : 'light'"><p>{{ t('x.y') }} · 12 MB</p><span>QoS</span><b>→</b></div></template>`)
    expect(good).toEqual([])
  })
})
