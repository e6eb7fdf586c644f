// The OpenAPI document as committed in openapi/openapi.json: generated from the route schemas of a
// dev-mode app on an ephemeral database, with a fixed public base URL so the output is stable.
import { buildApp } from './app.js'
import { testableConfig } from './config.js'

export async function generateOpenApi (): Promise<string> {
  const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: '' }), { logger: false })
  try {
    await app.ready()
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
  }
}
