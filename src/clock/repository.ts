// SQL of the emulator clock: its offset is one row of emulator_settings, shared by every instance.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

const SETTING = 'clock_offset_ms'

export function createClockRepository (db: Kysely<Database>) {
  return {
    async readOffsetMs (): Promise<number> {
      const row = await db.selectFrom('emulator_settings').select('value').where('name', '=', SETTING).executeTakeFirst()
      return typeof row?.value === 'number' ? row.value : 0
    },

    async writeOffsetMs (offsetMs: number): Promise<void> {
      const value = JSON.stringify(offsetMs)
      await db.insertInto('emulator_settings').values({ name: SETTING, value })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value })).execute()
    }
  }
}

export type ClockRepository = ReturnType<typeof createClockRepository>
