// Money in integer minor units (bigint), never floats: amounts come in and go out as decimal strings.

/** "7.20" → 720n (two decimals; more are refused rather than rounded silently). */
export function toMinor (amount: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount)
  if (!match) throw new Error(`not a money amount: ${amount}`)
  const minor = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'))
  return match[1] === '-' ? -minor : minor
}

/** 979n → "9.79". */
export function fromMinor (minor: bigint): string {
  const sign = minor < 0n ? '-' : ''
  const abs = minor < 0n ? -minor : minor
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** Minor units as the JSON number Partner Center sends (720n → 7.2): exact to the cent, converted at the edge. */
export const amountOf = (minor: bigint | string) => {
  const n = Number(minor)
  // Division is correctly rounded: n / 100 is the double nearest the decimal, the same one Number("7.20")
  // gives, while n is an exact integer; beyond 2^53 minor units the decimal string is converted instead.
  return Number.isSafeInteger(n) ? n / 100 : Number(fromMinor(BigInt(minor)))
}

/** Multiplies by a decimal rate ("1.36", "0.85"), rounding half away from zero to a minor unit. */
export function scale (minor: bigint, rate: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate)
  if (!match) throw new Error(`not a rate: ${rate}`)
  const decimals = (match[2] ?? '').length
  const numerator = BigInt(match[1]! + (match[2] ?? ''))
  const denominator = 10n ** BigInt(decimals)
  const product = minor * numerator
  const half = denominator / 2n
  return (product >= 0n ? product + half : product - half) / denominator
}
