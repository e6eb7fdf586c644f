// PostgreSQL COPY's text format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2):
// one line per row, columns separated by tabs, \N for null, and a backslash before what would end a
// column or a line. PostgreSQL text cannot hold NUL, so NUL is dropped (one odd value must not sink
// a whole batch).

const COPY_SPECIAL = /[\\\t\n\r\0]/
/** The same characters, every one of them: a global pattern of its own, as `test` on a global one keeps state. */
const COPY_SPECIALS = new RegExp(COPY_SPECIAL.source, 'g')
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' }
const escapeCopy = (character: string) => COPY_ESCAPES[character]!

/** One column value in COPY's text format. */
export function copyText (value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value !== 'string') return typeof value === 'boolean' ? (value ? 't' : 'f') : String(value)
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIALS, escapeCopy) : value
}

/** One row (its columns already encoded with copyText) as a COPY line. */
export const copyLine = (columns: readonly string[]): string => columns.join('\t') + '\n'
