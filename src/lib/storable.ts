// What PostgreSQL can store, checked once for every request: a string with a NUL character (text
// cannot hold one) or half a surrogate pair (not UTF-8), and a number that is not finite (1e400 parses
// as Infinity) or an integer beyond 2^53 (no longer exact), are refused before any route sees them.

/** Half a UTF-16 surrogate pair, which UTF-8 cannot encode; or a NUL, which PostgreSQL's text cannot hold. */
// eslint-disable-next-line no-control-regex -- finding the NUL is the point
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

export const storableText = (text: string): boolean => !UNSTORABLE_TEXT.test(text)

export const storableNumber = (n: number): boolean => Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n))

/**
 * The path of the first value in `input` that cannot be stored (`body.lineItems.0.name`), or undefined.
 * Iterative, so that a deeply nested body cannot exhaust the stack.
 */
export function firstUnstorable (input: unknown, root: string): string | undefined {
  const pending: Array<[unknown, string]> = [[input, root]]
  while (pending.length > 0) {
    const [value, path] = pending.pop()!
    if (typeof value === 'string') {
      if (!storableText(value)) return path
    } else if (typeof value === 'number') {
      if (!storableNumber(value)) return path
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (!storableText(key)) return `${path}.${key.replace(UNSTORABLE_TEXT, '?')}`
        pending.push([child, `${path}.${key}`])
      }
    }
  }
  return undefined
}
