/**
 * Natural order for level names: digit runs compare as numbers ("sensor2" < "sensor10"), letters
 * compare case-insensitively, and raw code units break ties so the order is total. Hand-written
 * because Intl.Collator with numeric is ~10x slower and sorting 100k children must stay cheap.
 * `aStart`/`bStart` compare the names that end two paths in place (siblings' paths differ only
 * there, so the final whole-string tie-break still compares the names), making no name strings.
 */
export function naturalCompare(a: string, b: string, aStart = 0, bStart = 0): number {
  let i = aStart
  let j = bStart
  const la = a.length
  const lb = b.length
  while (i < la && j < lb) {
    let ca = a.charCodeAt(i)
    let cb = b.charCodeAt(j)
    if (isDigit(ca) && isDigit(cb)) {
      // Skip leading zeros, then the longer run is the bigger number; equal length compares digits.
      let si = i
      let sj = j
      while (si < la && a.charCodeAt(si) === 0x30) si++
      while (sj < lb && b.charCodeAt(sj) === 0x30) sj++
      let ei = si
      let ej = sj
      while (ei < la && isDigit(a.charCodeAt(ei))) ei++
      while (ej < lb && isDigit(b.charCodeAt(ej))) ej++
      const lenA = ei - si
      const lenB = ej - sj
      if (lenA !== lenB) return lenA - lenB
      for (let k = 0; k < lenA; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k)
        if (d !== 0) return d
      }
      i = ei
      j = ej
      continue
    }
    if (ca !== cb) {
      ca = fold(ca)
      cb = fold(cb)
      if (ca !== cb) return ca - cb
    }
    i++
    j++
  }
  if (la - i !== lb - j) return la - i - (lb - j)
  return a < b ? -1 : a > b ? 1 : 0
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c
}
