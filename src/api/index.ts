// The table of contents: the control plane and the dev identity provider first (public), then every
// API area inside one scope that carries the auth hook (auth/plugin.ts), throttling and MS-RequestId idempotency.
// A protected route without a policy fails the start. Nothing else imports an API area.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import identityProvider from '../idp/routes.js'
import idempotency from '../idempotency/plugin.js'
import audit from '../audit/plugin.js'
import agreements from './agreements/routes.js'
import applicationConsents from './application-consents/routes.js'
import auditRecords from './audit-records/routes.js'
import billing from './billing/routes.js'
import billingExports, { exportFiles } from './billing-exports/routes.js'
import carts from './carts/routes.js'
import catalog from './catalog/routes.js'
import controlPlane from './control-plane/routes.js'
import customerUsers from './customer-users/routes.js'
import customers from './customers/routes.js'
import gdapAccessAssignments from './gdap-access-assignments/routes.js'
import gdapCustomers from './gdap-customers/routes.js'
import gdapRelationships from './gdap-relationships/routes.js'
import mfaReports from './mfa-reports/routes.js'
import orders from './orders/routes.js'
import profiles from './profiles/routes.js'
import relationships from './relationships/routes.js'
import subscriptionDetails from './subscription-details/routes.js'
import subscriptionTransitions from './subscription-transitions/routes.js'
import subscriptions from './subscriptions/routes.js'
import usageRecords from './usage-records/routes.js'
import validations from './validations/routes.js'
import webhooks, { webhookCertificate } from './webhooks/routes.js'

export default async function routes (app: FastifyInstance, { config }: { config: Config }) {
  await app.register(controlPlane, { config })
  if (config.DEV_MODE) await app.register(identityProvider, { config })
  await app.register(webhookCertificate)
  await app.register(exportFiles)
  await app.register(async (api) => {
    app.protect(api)
    // After protect: a request is counted against its caller's partner tenant, once the hook knows it.
    app.throttle(api)
    await api.register(idempotency)
    // Every write below runs with its caller known, for its audit record (src/audit/).
    await api.register(audit)
    await api.register(customers)
    await api.register(customerUsers)
    await api.register(relationships)
    await api.register(validations)
    await api.register(profiles)
    await api.register(catalog)
    await api.register(agreements)
    await api.register(applicationConsents)
    await api.register(carts)
    await api.register(orders)
    await api.register(subscriptions)
    await api.register(subscriptionDetails)
    await api.register(billing)
    await api.register(usageRecords)
    await api.register(billingExports, { config })
    await api.register(mfaReports)
    await api.register(gdapRelationships, { config })
    await api.register(gdapAccessAssignments, { config })
    await api.register(gdapCustomers, { config })
    await api.register(auditRecords)
    await api.register(webhooks, { config })
    await api.register(subscriptionTransitions)
  })
}
