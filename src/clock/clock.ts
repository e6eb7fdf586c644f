// The emulator clock: real time plus an offset that tests and users move through the control plane
// (`PUT /_emulator/clock`), so GDAP expiry and billing periods can be reached without waiting.
// The offset lives in the database so every instance on it agrees; each process re-reads it at most
// once per refresh interval. Token lifetimes are checked against real time, never this clock.
import type { ClockRepository } from './repository.js'

export class Clock {
  readonly #settings: ClockRepository
  readonly #refreshMs: number
  #offsetMs = 0
  #readAt = Number.NEGATIVE_INFINITY

  constructor (settings: ClockRepository, refreshMs: number) {
    this.#settings = settings
    this.#refreshMs = refreshMs
  }

  /** The emulator's current time. */
  async now (): Promise<Date> {
    if (Date.now() - this.#readAt >= this.#refreshMs) {
      this.#offsetMs = await this.#settings.readOffsetMs()
      this.#readAt = Date.now()
    }
    return new Date(Date.now() + this.#offsetMs)
  }

  /** Moves the clock so that it reads `to` now (never backwards past real time: offsets are >= 0). */
  async set (to: Date): Promise<Date> {
    const offsetMs = Math.max(0, to.getTime() - Date.now())
    await this.#settings.writeOffsetMs(offsetMs)
    this.#offsetMs = offsetMs
    this.#readAt = Date.now()
    return new Date(Date.now() + offsetMs)
  }
}
