// The emulator clock: real time plus an offset that tests and users move through the control plane
// (`PUT /_emulator/clock`), so GDAP expiry and billing periods can be reached without waiting.
// The offset lives in the database so every instance on it agrees; each process re-reads it at most
// once per refresh interval. Token lifetimes are checked against real time, never this clock.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

const SETTING = 'clock_offset_ms'

export class Clock {
  readonly #db: Kysely<Database>
  readonly #refreshMs: number
  #offsetMs = 0
  #readAt = Number.NEGATIVE_INFINITY

  constructor (db: Kysely<Database>, refreshMs: number) {
    this.#db = db
    this.#refreshMs = refreshMs
  }

  /** The emulator's current time. */
  async now (): Promise<Date> {
    if (Date.now() - this.#readAt >= this.#refreshMs) {
      const row = await this.#db.selectFrom('emulator_settings').select('value').where('name', '=', SETTING).executeTakeFirst()
      this.#offsetMs = typeof row?.value === 'number' ? row.value : 0
      this.#readAt = Date.now()
    }
    return new Date(Date.now() + this.#offsetMs)
  }

  /** Moves the clock so that it reads `to` now (never backwards past real time: offsets are >= 0). */
  async set (to: Date): Promise<Date> {
    const offsetMs = Math.max(0, to.getTime() - Date.now())
    await this.#db.insertInto('emulator_settings').values({ name: SETTING, value: JSON.stringify(offsetMs) })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: JSON.stringify(offsetMs) })).execute()
    this.#offsetMs = offsetMs
    this.#readAt = Date.now()
    return new Date(Date.now() + offsetMs)
  }
}
