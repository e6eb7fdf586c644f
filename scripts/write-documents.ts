// npm run generate: builds the app (on an ephemeral database) and writes the generated documents,
// openapi/openapi.json and docs/api-coverage.md. The test suite fails when a committed one differs.
import { writeFile } from 'node:fs/promises'
import { generateDocuments } from '../src/documents.js'

const { openapi, coverage } = await generateDocuments()
await writeFile(new URL('../openapi/openapi.json', import.meta.url), openapi)
await writeFile(new URL('../docs/api-coverage.md', import.meta.url), coverage)
process.stdout.write('openapi/openapi.json and docs/api-coverage.md written\n')
