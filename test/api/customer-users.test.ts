// Customer users and licenses behind GDAP (decision table step 10), through the real app.
// Demo: Adminagent is in "License managers" (User + License Administrator, Directory Readers in Contoso);
// Helpdeskagent is in "Helpdesk team" (Directory Readers only); Salesagent is in no group.
// Subtests share one app and its database; each creates the users it uses, and none depends on another.
// Those that end Contoso's relationship build their own app; 'directory roles' widens the demo Contoso
// assignment for the rest of the file, which no later subtest relies on.
import t from 'tap'
import { DEMO_CUSTOMER_USERS, DEMO_GROUPS, DEMO_RELATIONSHIPS, DEMO_SKUS } from '../../src/seed/demo-data.js'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const [contoso, northwind, tailspin, wingtip] = PARTNER.customers
const [adventureWorks] = OTHER_PARTNER.customers
const GRAPH = 'https://graph.microsoft.com'
const E3 = DEMO_SKUS.find((s) => s.skuPartNumber === 'SPE_E3' && s.customerId === contoso!.id)!
const STANDARD = DEMO_SKUS.find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM' && s.customerId === contoso!.id)!
const MINECRAFT = DEMO_SKUS.find((s) => s.licenseGroupId === 'group2')!
let n = 0

const newUser = (domain: string) => ({
  userPrincipalName: `user${n++}.${Date.now()}@${domain}`,
  displayName: 'New User', firstName: 'New', lastName: 'User', usageLocation: 'us',
  passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePassword: true }
})
const createUser = (token: string, customerId: string, domain: string) =>
  call(app, token, { method: 'POST', url: `/v1/customers/${customerId}/users`, payload: newUser(domain) })
const assign = (token: string, customerId: string, userId: string, skuIds: string[]) =>
  call(app, token, { method: 'POST', url: `/v1/customers/${customerId}/users/${userId}/licenseupdates`, payload: { licensesToAssign: skuIds.map((skuId) => ({ skuId })) } })

t.test('a user in the right group with the right roles creates a customer user and assigns a licence', async (t) => {
  const admin = await userToken(app, USERS.adminAgent)
  const created = await createUser(admin, contoso!.id, contoso!.domain)
  t.equal(created.statusCode, 200, created.body)
  const user = created.json()
  t.match(user, { userPrincipalName: /@contosodemo/, usageLocation: 'US', state: 'active', attributes: { objectType: 'CustomerUser' }, passwordProfile: { password: 'Str0ng!Passw0rd' } })
  const licensed = await assign(admin, contoso!.id, user.id, [STANDARD.skuId])
  t.equal(licensed.statusCode, 201, licensed.body)
  t.match(licensed.json(), { licensesToAssign: [{ skuId: STANDARD.skuId }], licenseWarnings: [], attributes: { objectType: 'LicenseUpdate' } })
  const licenses = await call(app, admin, { url: `/v1/customers/${contoso!.id}/users/${user.id}/licenses` })
  t.same(licenses.json().items.map((l: { productSku: { id: string } }) => l.productSku.id), [STANDARD.skuId])
  const got = await call(app, admin, { url: `/v1/customers/${contoso!.id}/users/${user.id}` })
  t.equal(got.statusCode, 200)
  t.notOk(got.json().passwordProfile, 'the password is echoed only on create')
})

t.test('refused, and explained, for a user outside the group or without the role', async (t) => {
  const sales = await userToken(app, USERS.salesAgent)
  const outside = await createUser(sales, contoso!.id, contoso!.domain)
  t.equal(outside.statusCode, 403)
  t.match(outside.json(), { code: 900150, description: /User Administrator, Directory Writers .*no active relationship grants/ })

  const helpdesk = await userToken(app, USERS.helpdeskAgent)
  const wrongRole = await createUser(helpdesk, contoso!.id, contoso!.domain)
  t.equal(wrongRole.statusCode, 403)
  t.match(wrongRole.json(), { code: 900150, description: /holds only Directory Readers/, data: [{ requiredGdapRoles: ['User Administrator', 'Directory Writers'], heldGdapRoles: ['Directory Readers'] }] })
  const read = await call(app, helpdesk, { url: `/v1/customers/${contoso!.id}/users` })
  t.equal(read.statusCode, 200, 'Directory Readers is enough to list users')

  const role = await call(app, await userToken(app, USERS.billingAdmin), { url: `/v1/customers/${contoso!.id}/users` })
  t.equal(role.statusCode, 403, 'a partner role that does not work in customers\' tenants')
  t.match(role.json(), { code: 900150, description: /partner roles/ })
})

t.test('refused when the relationship is awaiting approval, expired or terminated', async (t) => {
  const admin = await userToken(app, USERS.adminAgent)
  for (const customer of [northwind!, tailspin!, wingtip!]) {
    const res = await createUser(admin, customer.id, customer.domain)
    t.equal(res.statusCode, 403, customer.companyName)
    t.match(res.json(), { code: 900150, description: /no active relationship/ })
  }
})

t.test('another partner\'s customer is a 404; an app-only token is a 403; no MFA is the documented 401 first', async (t) => {
  const admin = await userToken(app, USERS.adminAgent)
  const foreign = await createUser(admin, adventureWorks!.id, adventureWorks!.domain)
  t.equal(foreign.statusCode, 404)
  t.equal(foreign.json().code, 60003)

  const appOnly = await createUser(await mint(app), contoso!.id, contoso!.domain)
  t.equal(appOnly.statusCode, 403)
  t.match(appOnly.json(), { code: 2032, description: /createCustomerUser requires App\+User/ })

  const noMfa = await userToken(app, USERS.adminAgent, { amr: ['pwd'] })
  for (const [customer, who] of [[contoso!, 'allowed customer'], [adventureWorks!, 'foreign customer'], [wingtip!, 'terminated relationship']] as const) {
    const res = await createUser(noMfa, customer.id, customer.domain)
    t.equal(res.statusCode, 401, who)
    t.equal(res.statusMessage, 'Unauthorized - MFA required')
    t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"')
  }
  const salesNoMfa = await createUser(await userToken(app, USERS.salesAgent, { amr: ['pwd'] }), contoso!.id, contoso!.domain)
  t.equal(salesNoMfa.statusCode, 401, 'MFA is checked before group membership')
})

t.test('the moment a relationship expires or is terminated it grants nothing', async (t) => {
  const local = await build(t)
  const admin = await userToken(local, USERS.adminAgent)
  const graphAdmin = await userToken(local, USERS.adminAgent, { audience: GRAPH })
  const list = () => call(local, admin, { url: `/v1/customers/${contoso!.id}/users` })
  t.equal((await list()).statusCode, 200)

  // Terminate: access ends with the request, before the relationship reaches "terminated".
  const terminated = await call(local, graphAdmin, {
    method: 'POST', url: `/v1.0/tenantRelationships/delegatedAdminRelationships/${DEMO_RELATIONSHIPS[0]!.id}/requests`, payload: { action: 'terminate' }
  })
  t.equal(terminated.statusCode, 201, terminated.body)
  t.equal((await list()).statusCode, 403)
  const rel = await call(local, graphAdmin, { url: `/v1.0/tenantRelationships/delegatedAdminRelationships/${DEMO_RELATIONSHIPS[0]!.id}` })
  t.equal(rel.json().status, 'terminationRequested')
  await local.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 90 } })
  t.equal((await call(local, graphAdmin, { url: `/v1.0/tenantRelationships/delegatedAdminRelationships/${DEMO_RELATIONSHIPS[0]!.id}` })).json().status, 'terminating')
  await local.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 60 } })
  t.equal((await call(local, graphAdmin, { url: `/v1.0/tenantRelationships/delegatedAdminRelationships/${DEMO_RELATIONSHIPS[0]!.id}` })).json().status, 'terminated')
})

t.test('expiry comes from the clock, not from a job', async (t) => {
  const local = await build(t)
  const admin = await userToken(local, USERS.adminAgent)
  const list = () => call(local, admin, { url: `/v1/customers/${contoso!.id}/users` })
  t.equal((await list()).statusCode, 200)
  // The demo relationship with Contoso was activated 10 days ago for P730D: move to one second past its end.
  const graphAdmin = await userToken(local, USERS.adminAgent, { audience: GRAPH })
  const rel = (await call(local, graphAdmin, { url: `/v1.0/tenantRelationships/delegatedAdminRelationships/${DEMO_RELATIONSHIPS[0]!.id}` })).json()
  await local.inject({ method: 'PUT', url: '/_emulator/clock', payload: { now: new Date(Date.parse(rel.endDateTime) - 60_000).toISOString() } })
  t.equal((await list()).statusCode, 200, 'a minute before the end')
  t.equal((await call(local, graphAdmin, { url: `/v1.0/tenantRelationships/delegatedAdminRelationships/${rel.id}` })).json().status, 'expiring')
  await local.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 61 } })
  const after = await list()
  t.equal(after.statusCode, 403, 'a second after the end')
  t.equal((await call(local, graphAdmin, { url: `/v1.0/tenantRelationships/delegatedAdminRelationships/${rel.id}` })).json().status, 'expired')
})

t.test('licence seats: the last seat goes once, then 60012; one license group per request', async (t) => {
  const admin = await userToken(app, USERS.adminAgent)
  const skus = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/subscribedskus` })).json().items as Array<{ productSku: { id: string }, availableUnits: number, consumedUnits: number, totalUnits: number }>
  const e3 = skus.find((s) => s.productSku.id === E3.skuId)!
  t.match(e3, { totalUnits: 2, consumedUnits: 2, availableUnits: 0 })
  t.notOk(skus.some((s) => s.productSku.id === MINECRAFT.skuId), 'group2 SKUs only when asked for')
  const group2 = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/subscribedskus?licenseGroupIds=group2` })).json().items
  t.same(group2.map((s: { productSku: { id: string } }) => s.productSku.id), [MINECRAFT.skuId])

  const user = (await createUser(admin, contoso!.id, contoso!.domain)).json()
  const full = await assign(admin, contoso!.id, user.id, [E3.skuId])
  t.equal(full.statusCode, 400)
  t.match(full.json(), { code: 60012, data: [/LicenseQuotaExceededException/] })
  const mixed = await assign(admin, contoso!.id, user.id, [STANDARD.skuId, MINECRAFT.skuId])
  t.equal(mixed.statusCode, 400)
  t.match(mixed.json(), { description: /same license group/ })
  t.same((await call(app, admin, { url: `/v1/customers/${contoso!.id}/users/${user.id}/licenses` })).json().items, [], 'nothing half-written')

  // Free a seat by removing it from a demo user, then two users race for it: exactly one wins.
  const alex = DEMO_CUSTOMER_USERS.find((u) => u.displayName === 'Alex Wilber')!
  const freed = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/users/${alex.id}/licenseupdates`, payload: { licensesToRemove: [E3.skuId] } })
  t.equal(freed.statusCode, 201)
  const other = (await createUser(admin, contoso!.id, contoso!.domain)).json()
  const race = await Promise.all([assign(admin, contoso!.id, user.id, [E3.skuId]), assign(admin, contoso!.id, other.id, [E3.skuId])])
  t.same(race.map((r) => r.statusCode).sort(), [201, 400])
})

t.test('users: paging, filters, update, soft delete, restore, password reset rules', async (t) => {
  const admin = await userToken(app, USERS.adminAgent)
  const first = await call(app, admin, { url: `/v1/customers/${contoso!.id}/users?size=2` })
  t.equal(first.statusCode, 200)
  const page1 = first.json()
  t.equal(page1.items.length, 2)
  t.ok(page1.continuationToken)
  const second = await call(app, admin, { url: `/v1/customers/${contoso!.id}/users?size=2&seekOperation=Next`, headers: { 'ms-continuationtoken': page1.continuationToken } })
  t.notOk(second.json().items.some((u: { id: string }) => page1.items.some((p: { id: string }) => p.id === u.id)), 'pages do not overlap')

  const filtered = await call(app, admin, { url: `/v1/customers/${contoso!.id}/users?filter=${encodeURIComponent('{"Field":"UserPrincipalName","Value":"megan","Operator":"starts_with"}')}` })
  t.same(filtered.json().items.map((u: { displayName: string }) => u.displayName), ['Megan Bowen'])

  const user = (await createUser(admin, contoso!.id, contoso!.domain)).json()
  const updated = await call(app, admin, { method: 'PATCH', url: `/v1/customers/${contoso!.id}/users/${user.id}`, payload: { DisplayName: 'Renamed', UsageLocation: 'gb' } })
  t.match(updated.json(), { displayName: 'Renamed', usageLocation: 'GB' })
  const reset = await call(app, admin, { method: 'PATCH', url: `/v1/customers/${contoso!.id}/users/${user.id}`, payload: { passwordProfile: { password: 'An0ther!Passw0rd', forceChangePassword: true } } })
  t.match(reset.json(), { passwordProfile: { password: 'An0ther!Passw0rd', forceChangePassword: true } })

  t.equal((await call(app, admin, { method: 'DELETE', url: `/v1/customers/${contoso!.id}/users/${user.id}` })).statusCode, 204)
  t.equal((await call(app, admin, { url: `/v1/customers/${contoso!.id}/users/${user.id}` })).statusCode, 404)
  const deleted = await call(app, admin, { url: `/v1/customers/${contoso!.id}/users?filter=${encodeURIComponent('{"Field":"UserState","Value":"Inactive","Operator":"equals"}')}` })
  t.match(deleted.json().items, [{ id: user.id, state: 'inactive', softDeletionTime: /Z$/ }])
  const restored = await call(app, admin, { method: 'PATCH', url: `/v1/customers/${contoso!.id}/users/${user.id}`, payload: { state: 'active' } })
  t.match(restored.json(), { id: user.id, state: 'active' })
  t.notOk(restored.json().softDeletionTime)

  const bad = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/users`, payload: { ...newUser('elsewhere.example.com') } })
  t.equal(bad.statusCode, 400, 'the UPN must be in the customer\'s domain')
  const missing = await call(app, admin, { url: `/v1/customers/${contoso!.id}/users/00000000-0000-4000-8000-000000000000` })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().code, 60010)
})

t.test('directory roles and their members (Privileged Role Administrator is not in the demo assignment)', async (t) => {
  const admin = await userToken(app, USERS.adminAgent)
  const roles = await call(app, admin, { url: `/v1/customers/${contoso!.id}/directoryroles` })
  t.equal(roles.statusCode, 200)
  t.ok(roles.json().items.some((r: { name: string }) => r.name === 'Global Administrator'))
  const globalAdmin = '62e90394-69f5-4237-9190-012177145e10'
  const members = await call(app, admin, { url: `/v1/customers/${contoso!.id}/directoryroles/${globalAdmin}/usermembers` })
  t.match(members.json().items, [{ userPrincipalName: 'admin@contosodemo.onmicrosoft.com', roleId: globalAdmin, attributes: { objectType: 'UserMember' } }])
  const userRoles = await call(app, admin, { url: `/v1/customers/${contoso!.id}/users/${DEMO_CUSTOMER_USERS[0]!.id}/directoryroles` })
  t.match(userRoles.json().items, [{ id: globalAdmin, name: 'Global Administrator' }])
  const add = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/directoryroles/${globalAdmin}/usermembers`, payload: { Id: DEMO_CUSTOMER_USERS[1]!.id } })
  t.equal(add.statusCode, 403, 'adding a role member needs Privileged Role Administrator')
  t.match(add.json(), { description: /Privileged Role Administrator/ })

  // Give the License managers group Privileged Role Administrator too (it is in the relationship).
  const graphAdmin = await userToken(app, USERS.adminAgent, { audience: GRAPH })
  const url = `/v1.0/tenantRelationships/delegatedAdminRelationships/${DEMO_RELATIONSHIPS[0]!.id}/accessAssignments/${DEMO_RELATIONSHIPS[0]!.assignments[0]!.id}`
  const current = (await call(app, graphAdmin, { url })).json()
  const roleIds = [...current.accessDetails.unifiedRoles.map((r: { roleDefinitionId: string }) => r.roleDefinitionId), 'e8611ab8-c189-46e8-94e1-60213ab1f814']
  const patched = await call(app, graphAdmin, { method: 'PATCH', url, headers: { 'if-match': current['@odata.etag'] }, payload: { accessDetails: { unifiedRoles: roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) } } })
  t.equal(patched.statusCode, 202, patched.body)
  const added = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/directoryroles/${globalAdmin}/usermembers`, payload: { Id: DEMO_CUSTOMER_USERS[1]!.id } })
  t.equal(added.statusCode, 201, added.body)
  t.equal((await call(app, admin, { method: 'DELETE', url: `/v1/customers/${contoso!.id}/directoryroles/${globalAdmin}/usermembers/${DEMO_CUSTOMER_USERS[1]!.id}` })).statusCode, 204)
})

t.test('groups may come from the token\'s groups claim', async (t) => {
  const sales = await userToken(app, USERS.salesAgent, { claims: { groups: [DEMO_GROUPS[0]!.id] } })
  t.equal((await call(app, sales, { url: `/v1/customers/${contoso!.id}/users` })).statusCode, 200)
})
