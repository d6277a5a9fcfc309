/**
 * "Level name starts with this prefix, ignoring case", as type-ahead asks it of every visible
 * row (100k names on one key press). The renderer's rule is `name.toLowerCase().startsWith(p)`;
 * this gives the same answers without making a lower-cased string per name.
 */
export function prefixMatcher(prefix: string): (name: string) => boolean {
  const lower = prefix.toLowerCase()
  const n = lower.length
  const exact = (name: string) => name.toLowerCase().startsWith(lower)
  // Only an ASCII prefix can be folded per code unit; anything else takes the exact rule.
  for (let i = 0; i < n; i++) if (lower.charCodeAt(i) >= 0x80) return exact
  return (name) => {
    for (let i = 0; i < n; i++) {
      // The name ended on ASCII only: lower-casing would not have made it longer.
      if (i >= name.length) return false
      let c = name.charCodeAt(i)
      // A non-ASCII letter may lower-case to ASCII (the Kelvin sign to "k"): ask the exact rule.
      if (c >= 0x80) return exact(name)
      if (c >= 0x41 && c <= 0x5a) c += 32
      if (c !== lower.charCodeAt(i)) return false
    }
    return true
  }
}
