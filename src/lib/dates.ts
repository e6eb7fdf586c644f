// Instants as clients write them. The .NET SDK serializes a DateTime without an offset
// ("2019-08-26T00:00:00", up to seven fractional digits), and samples send a date alone; Partner
// Center reads both as UTC. ISO 8601 with an offset is read as written.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?([Zz]|[+-]\d{2}:\d{2})?$/

/** The instant a client's date or date-time names (UTC when it names no offset); undefined when it is not one. */
export function instantOf (text: string): Date | undefined {
  const match = INSTANT.exec(text)
  if (!match) return undefined
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', offset = 'Z'] = match
  // A date alone with an offset is not a form anyone writes.
  if (match[4] === undefined && match[8] !== undefined) return undefined
  const ms = fraction.padEnd(3, '0').slice(0, 3)
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset.toUpperCase()}`)
  if (Number.isNaN(date.getTime())) return undefined
  // Date rolls 2019-02-30 over to March: refuse a day the month does not have.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)))
  return check.getUTCMonth() === Number(mo) - 1 && check.getUTCDate() === Number(d) ? date : undefined
}

/** The schema pattern of what instantOf reads, for OpenAPI and validation. */
export const INSTANT_PATTERN = INSTANT.source

export const DAY_MS = 86_400_000

/** Midnight UTC of the day an instant falls on: Partner Center's samples show term and charge dates as `T00:00:00Z`. */
export function utcDay (instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / DAY_MS) * DAY_MS)
}

/** The first day (00:00 UTC) of the calendar month an instant falls in; `shift` moves whole months. */
export function monthStart (instant: Date, shift = 0): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + shift, 1))
}

/** The last day (00:00 UTC) of the calendar month an instant falls in, as billing periods end. */
export function monthLastDay (instant: Date): Date {
  return new Date(monthStart(instant, 1).getTime() - DAY_MS)
}
