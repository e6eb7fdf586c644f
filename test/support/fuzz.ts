// Requests generated from the OpenAPI document (fast-check): for each operation, path and query
// parameters and a body shaped by its schema, each value now and then replaced by something hostile
// (a NUL, half a surrogate pair, a huge or non-finite number, a wrong type, a long string), so that
// generated requests reach deep into the handlers as well as their validation.
import fc, { type Arbitrary } from 'fast-check'

type Schema = Record<string, any>

export interface Operation { method: string, path: string, parameters: Array<{ in: string, name: string, required?: boolean, schema?: Schema }>, body?: { type: string, schema: Schema } }

export interface GeneratedRequest { method: string, url: string, headers: Record<string, string>, payload?: string }

/** Every operation of the OpenAPI document. */
export function operationsOf (document: { paths: Record<string, Record<string, any>> }): Operation[] {
  const operations: Operation[] = []
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content as Record<string, { schema: Schema }> | undefined
      const [type, media] = Object.entries(content ?? {})[0] ?? []
      operations.push({ method: method.toUpperCase(), path, parameters: operation.parameters ?? [], ...(type && media ? { body: { type, schema: media.schema } } : {}) })
    }
  }
  return operations
}

/** Strings and numbers a careless service breaks on. The JSON text `1e400` (Infinity) is written by `HOSTILE_NUMBER`. */
const HOSTILE_TEXT = ['\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '', ' ', '%', '\'', '"', '../..', 'constructor', '__proto__', 'A'.repeat(5000), '😀', '\\']
export const HOSTILE_NUMBER = '__HOSTILE_NUMBER__'
const HOSTILE_NUMBERS = [2 ** 53, -1, 0, 1e308, -1e308, 2 ** 31, 0.5]

const hostileText = fc.constantFrom(...HOSTILE_TEXT)
const hostileValue: Arbitrary<unknown> = fc.oneof(hostileText, fc.constantFrom(...HOSTILE_NUMBERS, HOSTILE_NUMBER, true, null), fc.constant({}), fc.constant([]))

/** A value for `schema`: mostly of its shape, sometimes hostile. */
export function valueOf (schema: Schema | undefined, known: Arbitrary<string>, depth = 0): Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: shaped(schema ?? {}, known, depth) }, { weight: 1, arbitrary: hostileValue })
}

function shaped (schema: Schema, known: Arbitrary<string>, depth: number): Arbitrary<unknown> {
  const members = schema.anyOf ?? schema.oneOf
  if (members) return fc.oneof(...(members as Schema[]).map((m) => shaped(m, known, depth)))
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]))
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case 'string': return text(schema, known)
    case 'integer': return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 })
    case 'number': return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true })
    case 'boolean': return fc.boolean()
    case 'null': return fc.constant(null)
    case 'array': return depth > 4 ? fc.constant([]) : fc.array(valueOf(schema.items, known, depth + 1), { maxLength: 3 })
    case 'object': {
      if (depth > 4 || !schema.properties) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
      const properties = Object.fromEntries(Object.entries(schema.properties as Record<string, Schema>).map(([name, s]) => [name, valueOf(s, known, depth + 1)]))
      return fc.record(properties, { requiredKeys: (schema.required as string[] | undefined)?.filter((k) => k in properties) ?? [] })
    }
    default: return fc.jsonValue({ maxDepth: 2 })
  }
}

function text (schema: Schema, known: Arbitrary<string>): Arbitrary<string> {
  if (schema.format === 'uuid') return fc.oneof(fc.uuid(), known)
  if (schema.format === 'date-time') return fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString())
  if (schema.format === 'date') return fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
  if (schema.pattern) return fc.oneof(fc.stringMatching(new RegExp(schema.pattern)).map((s) => s.slice(0, schema.maxLength ?? 200)), known)
  return fc.oneof(fc.string({ maxLength: schema.maxLength ?? 40 }), known)
}

/** A request for `operation`: its path filled, its query and body generated; `token` for the surface. */
export function requestOf (operation: Operation, known: Arbitrary<string>, token: string | undefined): Arbitrary<GeneratedRequest> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path')
  const queryParams = operation.parameters.filter((p) => p.in === 'query')
  const path = fc.tuple(...pathParams.map(() => fc.oneof({ weight: 4, arbitrary: known }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: hostileText })))
  const query = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueOf(p.schema, known)])), { requiredKeys: [] })
  const body = operation.body ? valueOf(operation.body.schema, known).map((v) => v) : fc.constant(undefined)
  return fc.tuple(path, query, body).map(([pathValues, queryValues, bodyValue]) => {
    let url = operation.path
    pathParams.forEach((p, i) => { url = url.replace(`{${p.name}}`, encodePart(String(pathValues[i]))) })
    const search = Object.entries(queryValues).map(([k, v]) => `${encodeURIComponent(k)}=${encodePart(v === HOSTILE_NUMBER ? '1e400' : typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
    if (search.length > 0) url += `?${search.join('&')}`
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
    if (bodyValue === undefined || !operation.body) return { method: operation.method, url, headers }
    if (operation.body.type === 'application/x-www-form-urlencoded') {
      const form = bodyValue !== null && typeof bodyValue === 'object' ? bodyValue as Record<string, unknown> : { value: bodyValue }
      const payload = Object.entries(form).map(([k, v]) => `${encodePart(k)}=${encodePart(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&')
      return { method: operation.method, url, headers: { ...headers, 'content-type': operation.body.type }, payload }
    }
    return { method: operation.method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(bodyValue).replaceAll(`"${HOSTILE_NUMBER}"`, '1e400') }
  })
}

/** encodeURIComponent, with half a surrogate pair written as the bytes of its (invalid) UTF-8 form. */
function encodePart (value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    return value.split('').map((c) => /[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c)).join('')
  }
}
