/**
 * The palette's search: a title matches a query when it contains it (best), when its words
 * start with the query's letters in order ("os" finds "Open settings"), or when the query's
 * letters appear in it in order (fuzzy, worst). Case does not matter; ties keep table order.
 */

/** A score for `title` against `query` (higher is better), or null when it does not match. */
export function matchScore(title: string, query: string): number | null {
  const q = query.trim().toLowerCase()
  if (!q) return 0
  const t = title.toLowerCase()
  const at = t.indexOf(q)
  if (at === 0) return 400
  if (at > 0) return t[at - 1] === ' ' ? 350 : 300
  const initials = t
    .split(/[\s/.-]+/)
    .filter(Boolean)
    .map((w) => w[0])
    .join('')
  const letters = q.replace(/\s+/g, '')
  if (initials.startsWith(letters)) return 250
  if (isSubsequence(letters, initials)) return 200
  if (!isSubsequence(letters, t)) return null
  // Letters close together beat letters spread over the whole title.
  return 100 - Math.min(99, spread(letters, t))
}

function isSubsequence(needle: string, hay: string): boolean {
  let i = 0
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay[j] === needle[i]) i++
  return i === needle.length
}

function spread(needle: string, hay: string): number {
  let i = 0
  let first = -1
  let last = -1
  for (let j = 0; j < hay.length && i < needle.length; j++) {
    if (hay[j] !== needle[i]) continue
    if (first < 0) first = j
    last = j
    i++
  }
  return last - first + 1 - needle.length
}

/** The items whose title matches `query`, best first (a stable sort keeps table order for ties). */
export function filterByTitle<T extends { title: string }>(items: readonly T[], query: string): T[] {
  return items
    .map((item, index) => ({ item, index, score: matchScore(item.title, query) }))
    .filter((x): x is { item: T; index: number; score: number } => x.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.item)
}
