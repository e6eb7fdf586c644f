// The generated documents, committed and checked by the tests: the OpenAPI document
// (openapi/openapi.json) and the table of every route with its auth policy (docs/api-coverage.md),
// both read off a dev-mode app on an ephemeral database with a fixed public base URL, so the output is stable.
import type { RouteOptions } from 'fastify'
import { buildApp } from './app.js'
import { testableConfig } from './config.js'
import { coverageOf } from './coverage.js'

export interface GeneratedDocuments { openapi: string, coverage: string }

export async function generateDocuments (): Promise<GeneratedDocuments> {
  const routes: RouteOptions[] = []
  const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: '' }), { logger: false, onRoute: (route) => routes.push(route) })
  try {
    await app.ready()
    return { openapi: `${JSON.stringify(app.swagger(), null, 2)}\n`, coverage: coverageOf(routes) }
  } finally {
    await app.close()
  }
}
