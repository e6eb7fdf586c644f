// Partner Center reads request bodies case-insensitively: the .NET SDK sends PascalCase
// ("LineItems", "Attributes": {"ObjectType": ...}) while docs show camelCase. We rename every key
// to the spelling its JSON schema declares, walking the body and the schema together.

interface SchemaLike {
  type?: unknown
  properties?: Record<string, SchemaLike>
  items?: SchemaLike
  anyOf?: SchemaLike[]
  oneOf?: SchemaLike[]
  allOf?: SchemaLike[]
}

/** Returns `value` with object keys renamed to the schema's spelling (unknown keys stay as sent). */
export function normalizeKeys (value: unknown, schema: SchemaLike | undefined): unknown {
  if (schema === undefined || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    const items = schema.items ?? firstWith(schema, 'items')?.items
    return items ? value.map((v) => normalizeKeys(v, items)) : value
  }
  const properties = schema.properties ?? firstWith(schema, 'properties')?.properties
  if (!properties) return value
  const byLowerName = new Map(Object.keys(properties).map((name) => [name.toLowerCase(), name]))
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const name = byLowerName.get(key.toLowerCase()) ?? key
    // An exact spelling wins over a differently-cased duplicate.
    if (name in out && key !== name) continue
    out[name] = normalizeKeys(v, properties[name])
  }
  return out
}

function firstWith (schema: SchemaLike, key: 'items' | 'properties'): SchemaLike | undefined {
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].find((s) => s[key] !== undefined)
}
