// Graph's partner billing export (microsoft.graph.partners.billing): the export requests, the
// long-running operation they start (running, succeeded with the manifest, failed) and the manifest
// that names the files.
import { Type, type Static } from 'typebox'

const AttributeSet = Type.String({ description: 'full (default) or basic', examples: ['full'] })

export const BilledExportSchema = Type.Object({
  invoiceId: Type.String({ description: 'The invoice whose lines are exported (Gnnnnnnnnn). Required.' }),
  attributeSet: Type.Optional(AttributeSet)
})
export type BilledExport = Static<typeof BilledExportSchema>

export const UnbilledExportSchema = Type.Object({
  billingPeriod: Type.String({ description: 'current (not invoiced yet) or last (the last closed period). Required.' }),
  currencyCode: Type.String({ description: 'ISO 4217 currency of the lines, e.g. USD. Required.' }),
  attributeSet: Type.Optional(AttributeSet)
})
export type UnbilledExport = Static<typeof UnbilledExportSchema>

export const OperationParams = Type.Object({ operationId: Type.String() })
export const ManifestParams = Type.Object({ manifestId: Type.String() })

export const ManifestSchema = Type.Object({
  id: Type.String(),
  schemaVersion: Type.String(),
  dataFormat: Type.String({ description: 'compressedJSON: every file is gzip-compressed JSON lines' }),
  createdDateTime: Type.String(),
  eTag: Type.String(),
  partnerTenantId: Type.String(),
  rootDirectory: Type.String({ description: 'Download a file at {rootDirectory}/{blob name}?{sasToken}' }),
  sasToken: Type.String(),
  partitionType: Type.String(),
  blobCount: Type.Integer(),
  blobs: Type.Array(Type.Object({ name: Type.String(), partitionValue: Type.String() }))
})

export const OperationSchema = Type.Object({
  '@odata.type': Type.String({ description: '#microsoft.graph.partners.billing.runningOperation, exportSuccessOperation or failedOperation' }),
  id: Type.String(),
  status: Type.String({ description: 'notStarted, running, succeeded or failed' }),
  createdDateTime: Type.String(),
  lastActionDateTime: Type.String(),
  'resourceLocation@odata.navigationLink': Type.Optional(Type.String()),
  resourceLocation: Type.Optional(ManifestSchema),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() }))
})

export const BlobParams = Type.Object({
  container: Type.String(), version: Type.String(), exportKey: Type.String(), partnerKey: Type.String(),
  fragment: Type.String(), partition: Type.String(), blobName: Type.String()
})
export const BlobQuery = Type.Object({
  sv: Type.Optional(Type.String()),
  se: Type.Optional(Type.String()),
  sr: Type.Optional(Type.String()),
  sp: Type.Optional(Type.String()),
  sig: Type.Optional(Type.String())
})
