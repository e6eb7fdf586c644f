// npm run openapi: builds the app (no database needed beyond an ephemeral one) and writes
// openapi/openapi.json. The test suite fails when the committed file differs from this output.
import { writeFile } from 'node:fs/promises'
import { generateOpenApi } from '../src/openapi.js'

await writeFile(new URL('../openapi/openapi.json', import.meta.url), await generateOpenApi())
process.stdout.write('openapi/openapi.json written\n')
