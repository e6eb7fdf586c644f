// Drops the schemas test files create on TEST_DATABASE_URL (t_ followed by 32 hex digits), once no
// test is running: before and after the PostgreSQL run of `npm test`; and the databases of their
// own that a test left behind if it was killed before its teardown.
import pg from 'pg'

/** The names test/helper.ts gives them; a parameter, so PostgreSQL matches it. */
const TEST_NAME = '^t_[0-9a-f]{32}$'

const url = process.env.TEST_DATABASE_URL
if (url) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname ~ $1', [TEST_NAME])
    for (const { nspname } of rows) await client.query(`drop schema if exists ${nspname} cascade`)
    const { rows: databases } = await client.query<{ datname: string }>('select datname from pg_database where datname ~ $1', [TEST_NAME])
    for (const { datname } of databases) await client.query(`drop database if exists ${datname} with (force)`)
  } finally {
    await client.end()
  }
}
