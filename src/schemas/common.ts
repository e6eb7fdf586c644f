// Shapes shared by every Partner Center resource: attributes, links, collections, the error envelope.
// The Graph surface's shared shapes are in graph.ts.
import { Type, type TSchema } from 'typebox'

export const ErrorSchema = Type.Object({
  code: Type.Integer({ description: 'Partner Center error code (e.g. 900421 MFA required, 900150 role denied)' }),
  description: Type.String({ description: 'What went wrong, and which check failed' }),
  data: Type.Array(Type.Unknown(), { description: 'Optional details' }),
  source: Type.String({ description: 'Always "PartnerFD"' })
}, { $id: 'PartnerCenterError', description: 'The Partner Center error envelope' })

const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

/** A GUID in any case (Partner Center ids are often upper case). */
export const Guid = (description: string) => Type.String({ pattern: GUID_PATTERN, description })

/** The customer tenant id of every /v1/customers/{customerId}/... route. */
export const CustomerId = Guid('The customer tenant id')
export const CustomerParams = Type.Object({ customerId: CustomerId })

/** The MS-ContinuationToken header that asks a seek-paged list for its next page. */
export const ContinuationHeaders = Type.Object({ 'ms-continuationtoken': Type.Optional(Type.String({ maxLength: 4096 })) })

/** If-Match with the resource's ETag, on updates that check it. */
export const IfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String()) })

/** Reference to the shared error schema, for every 4xx/5xx response. */
export const ErrorRef = Type.Ref('PartnerCenterError')

/** Standard error responses of a protected Partner Center route. */
export const protectedErrors = {
  400: ErrorRef,
  401: ErrorRef,
  403: ErrorRef
} as const

export const AttributesSchema = (objectType: string) => Type.Object({
  etag: Type.Optional(Type.String({ description: 'Opaque version of the resource, for If-Match' })),
  objectType: Type.String({ description: `Always "${objectType}"`, examples: [objectType] })
})

export const LinkSchema = Type.Object({
  uri: Type.String(),
  method: Type.String(),
  headers: Type.Array(Type.Object({ key: Type.String(), value: Type.String() }))
})

export const LinksSchema = Type.Object({
  self: Type.Optional(LinkSchema),
  next: Type.Optional(LinkSchema),
  previous: Type.Optional(LinkSchema)
})

/** A seek-paged Partner Center collection of `item`. */
export const SeekCollectionSchema = <T extends TSchema>(item: T, description: string) => Type.Object({
  totalCount: Type.Integer({ description: 'Number of items in this page' }),
  items: Type.Array(item),
  links: LinksSchema,
  continuationToken: Type.Optional(Type.String({ description: 'Send it as MS-ContinuationToken with seekOperation=Next for the next page' })),
  attributes: AttributesSchema('Collection')
}, { description })

export interface Link { uri: string, method: string, headers: Array<{ key: string, value: string }> }

export const link = (uri: string, method = 'GET', headers: Link['headers'] = []): Link => ({ uri, method, headers })

/** A whole (unpaged) Partner Center collection. */
export const collectionOf = <T>(items: T[], self: string) =>
  ({ totalCount: items.length, items, links: { self: link(self) }, attributes: { objectType: 'Collection' } })
