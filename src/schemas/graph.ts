// Shapes shared by the Graph surface (/v1.0): the error envelope, collections and the OData list query.
import { Type, type Static, type TSchema } from 'typebox'

export const GraphErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Graph error code, e.g. Request_ResourceNotFound' }),
    message: Type.String(),
    innerError: Type.Object({
      date: Type.String(),
      'request-id': Type.String(),
      'client-request-id': Type.String()
    })
  })
}, { $id: 'GraphError', description: 'The Microsoft Graph error envelope (routes under /v1.0)' })

export const GraphErrorRef = Type.Ref('GraphError')

/** Standard error responses of a protected Graph route. */
export const graphErrors = {
  400: GraphErrorRef,
  401: GraphErrorRef,
  403: GraphErrorRef,
  404: GraphErrorRef
} as const

/** A Graph collection: `value`, with `@odata.nextLink` while more pages remain and `@odata.count` on request. */
export const GraphCollection = <T extends TSchema>(item: T) => Type.Object({
  '@odata.context': Type.String(),
  '@odata.count': Type.Optional(Type.Integer()),
  '@odata.nextLink': Type.Optional(Type.String()),
  value: Type.Array(item)
})

/** The OData options a Graph list takes (lib/odata.ts applies them). */
export const ListQuery = Type.Object({
  $filter: Type.Optional(Type.String({ description: "e.g. status eq 'active' and customer/tenantId eq '{id}'" })),
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
  $orderby: Type.Optional(Type.String({ description: 'A property and asc or desc, e.g. status desc' })),
  $count: Type.Optional(Type.Boolean()),
  $skiptoken: Type.Optional(Type.String())
})
export type ListQueryValue = Static<typeof ListQuery>
