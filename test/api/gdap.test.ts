// Graph GDAP: relationships, requests, access assignments, operations, delegated admin customers.
// Subtests share one app and its database; each creates the relationships it uses (the expiry subtest
// builds its own app to move the clock by months), and none depends on another.
import t from 'tap'
import { DEMO_GROUPS, DEMO_RELATIONSHIPS } from '../../src/seed/demo-data.js'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const GRAPH = 'https://graph.microsoft.com'
const BASE = '/v1.0/tenantRelationships/delegatedAdminRelationships'
const [contoso, northwind] = PARTNER.customers
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1'
const LICENSE_ADMIN = '4d6ac14f-3453-41d0-bef9-a3e0c569773a'
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10'
const roles = (...ids: string[]) => ({ unifiedRoles: ids.map((roleDefinitionId) => ({ roleDefinitionId })) })
const admin = await userToken(app, USERS.adminAgent, { audience: GRAPH })
let n = 0

async function newRelationship (body: Record<string, unknown> = {}) {
  const res = await call(app, admin, {
    method: 'POST', url: BASE,
    payload: { displayName: `rel ${n++} ${Date.now()}`, duration: 'P60D', customer: { tenantId: northwind!.id }, accessDetails: roles(USER_ADMIN, LICENSE_ADMIN), ...body }
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res
}

async function activeRelationship () {
  const rel = (await newRelationship()).json()
  await call(app, admin, { method: 'POST', url: `${BASE}/${rel.id}/requests`, payload: { action: 'lockForApproval' } })
  const approved = await app.inject({ method: 'POST', url: `/_emulator/customers/${northwind!.id}/delegatedAdminRelationships/${rel.id}/approve` })
  if (approved.statusCode !== 200) throw new Error(approved.body)
  return approved.json()
}

t.test('create: 201, Location, status created, Graph shape; field rules', async (t) => {
  const res = await newRelationship({ autoExtendDuration: 'P180D' })
  const rel = res.json()
  t.equal(res.headers.location, `http://127.0.0.1:8080${BASE}/${rel.id}`)
  t.match(rel, {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationship', '@odata.etag': /^W\/"/, status: 'created', duration: 'P60D',
    customer: { tenantId: northwind!.id, displayName: 'Northwind Traders' }, autoExtendDuration: 'P180D', activatedDateTime: null
  })
  t.equal(Date.parse(rel.endDateTime) - Date.parse(rel.createdDateTime), 60 * 86_400_000, 'end projected at creation: created + duration (Graph samples)')
  t.match(rel.id, /^[0-9a-f-]{36}-[0-9a-f-]{36}$/)
  const taken = await call(app, admin, { method: 'POST', url: BASE, payload: { displayName: rel.displayName, duration: 'P30D', accessDetails: roles(USER_ADMIN) } })
  t.equal(taken.statusCode, 409)
  t.match(taken.json(), { error: { code: 'Conflict', message: /already exists/, innerError: { 'request-id': /./ } } })
  for (const [payload, why] of [
    [{ duration: 'P731D' }, /P1D to P730D/],
    [{ accessDetails: roles('00000000-0000-0000-0000-000000000000') }, /Unknown roleDefinitionId/],
    [{ accessDetails: roles(GLOBAL_ADMIN), autoExtendDuration: 'P180D' }, /Global Administrator cannot be auto-extended/],
    [{ customer: { tenantId: OTHER_PARTNER.customers[0]!.id } }, /not a customer of this partner/]
  ] as const) {
    const valid = { displayName: `bad ${n++}`, duration: 'P30D', accessDetails: roles(USER_ADMIN) }
    const bad = await call(app, admin, { method: 'POST', url: BASE, payload: { ...valid, ...payload } })
    t.equal(bad.statusCode, 400, String(why))
    t.match(bad.json(), { error: { code: 'BadRequest', message: why } })
  }
})

t.test('list: $filter, $orderby, $top with @odata.nextLink, $count; partners never see each other', async (t) => {
  const all = await call(app, admin, { url: `${BASE}?$count=true` })
  t.equal(all.statusCode, 200)
  const body = all.json()
  t.equal(body['@odata.count'], body.value.length)
  t.ok(body.value.length >= DEMO_RELATIONSHIPS.length)
  const byStatus = (status: string) => body.value.filter((r: { status: string }) => r.status === status).length
  t.ok(byStatus('active') >= 1 && byStatus('approvalPending') >= 1 && byStatus('expired') >= 1 && byStatus('terminated') >= 1, 'the demo states')

  const active = await call(app, admin, { url: `${BASE}?$filter=${encodeURIComponent(`status eq 'active' and customer/tenantId eq '${contoso!.id}'`)}` })
  t.same(active.json().value.map((r: { id: string }) => r.id), [DEMO_RELATIONSHIPS[0]!.id])

  const page1 = (await call(app, admin, { url: `${BASE}?$top=2&$orderby=displayName desc` })).json()
  t.equal(page1.value.length, 2)
  t.ok(page1['@odata.nextLink'])
  const next = new URL(page1['@odata.nextLink'])
  const page2 = (await call(app, admin, { url: `${next.pathname}${next.search}` })).json()
  t.notOk(page2.value.some((r: { id: string }) => page1.value.some((p: { id: string }) => p.id === r.id)))
  t.ok(page1.value[0].displayName.localeCompare(page1.value[1].displayName) >= 0, 'descending')

  t.equal((await call(app, admin, { url: `${BASE}?$top=301` })).statusCode, 400)
  t.match((await call(app, admin, { url: `${BASE}?$filter=${encodeURIComponent('status ne 1')}` })).json(), { error: { code: 'BadRequest' } })

  const theirs = await userToken(app, USERS.otherAdminAgent, { audience: GRAPH, tenantId: OTHER_PARTNER.id })
  t.same((await call(app, theirs, { url: BASE })).json().value, [])
  t.equal((await call(app, theirs, { url: `${BASE}/${DEMO_RELATIONSHIPS[0]!.id}` })).statusCode, 404)
})

t.test('PATCH and DELETE need If-Match; rules per status', async (t) => {
  const rel = (await newRelationship()).json()
  const noEtag = await call(app, admin, { method: 'PATCH', url: `${BASE}/${rel.id}`, payload: { displayName: 'renamed' } })
  t.equal(noEtag.statusCode, 428)
  const patched = await call(app, admin, { method: 'PATCH', url: `${BASE}/${rel.id}`, headers: { 'if-match': rel['@odata.etag'] }, payload: { displayName: `renamed ${n++}`, duration: 'P90D', customer: { tenantId: contoso!.id } } })
  t.equal(patched.statusCode, 200, patched.body)
  t.match(patched.json(), { duration: 'P90D', customer: { tenantId: contoso!.id, displayName: 'Contoso Ltd' } })
  t.equal(Date.parse(patched.json().endDateTime) - Date.parse(rel.createdDateTime), 90 * 86_400_000, 'the projected end follows a new duration')
  const stale = await call(app, admin, { method: 'PATCH', url: `${BASE}/${rel.id}`, headers: { 'if-match': rel['@odata.etag'] }, payload: { duration: 'P120D' } })
  t.equal(stale.statusCode, 412)

  const active = await activeRelationship()
  const fixed = await call(app, admin, { method: 'PATCH', url: `${BASE}/${active.id}`, headers: { 'if-match': active['@odata.etag'] }, payload: { duration: 'P90D' } })
  t.equal(fixed.statusCode, 400)
  t.match(fixed.json(), { error: { message: /only change while the relationship is created/ } })
  const extend = await call(app, admin, { method: 'PATCH', url: `${BASE}/${active.id}`, headers: { 'if-match': active['@odata.etag'] }, payload: { autoExtendDuration: 'P180D' } })
  t.equal(extend.statusCode, 200)
  t.equal(extend.json().autoExtendDuration, 'P180D')

  const refused = await call(app, admin, { method: 'DELETE', url: `${BASE}/${active.id}`, headers: { 'if-match': extend.json()['@odata.etag'] } })
  t.equal(refused.statusCode, 400, 'only created relationships can be deleted')
  const current = (await call(app, admin, { url: `${BASE}/${rel.id}` })).json()
  t.equal((await call(app, admin, { method: 'DELETE', url: `${BASE}/${rel.id}` })).statusCode, 428)
  t.equal((await call(app, admin, { method: 'DELETE', url: `${BASE}/${rel.id}`, headers: { 'if-match': current['@odata.etag'] } })).statusCode, 204)
  t.equal((await call(app, admin, { url: `${BASE}/${rel.id}` })).statusCode, 404)
})

t.test('lifecycle: lockForApproval, customer approval, activation and end dates, requests; reject', async (t) => {
  const rel = (await newRelationship()).json()
  const locked = await call(app, admin, { method: 'POST', url: `${BASE}/${rel.id}/requests`, payload: { action: 'lockForApproval' } })
  t.equal(locked.statusCode, 201)
  t.match(locked.json(), { action: 'lockForApproval', status: 'created' })
  t.match(locked.headers.location, new RegExp(`${BASE}/${rel.id}/requests/`))
  const pendingView = (await call(app, admin, { url: `${BASE}/${rel.id}` })).json()
  t.equal(pendingView.status, 'approvalPending')
  t.equal(Date.parse(pendingView.endDateTime) - Date.parse(pendingView.createdDateTime), 60 * 86_400_000, 'still created + duration while pending')
  const again = await call(app, admin, { method: 'POST', url: `${BASE}/${rel.id}/requests`, payload: { action: 'lockForApproval' } })
  t.equal(again.statusCode, 400)

  const wrongCustomer = await app.inject({ method: 'POST', url: `/_emulator/customers/${contoso!.id}/delegatedAdminRelationships/${rel.id}/approve` })
  t.equal(wrongCustomer.statusCode, 404, 'only the named customer can answer')
  const approved = await app.inject({ method: 'POST', url: `/_emulator/customers/${northwind!.id}/delegatedAdminRelationships/${rel.id}/approve` })
  t.equal(approved.statusCode, 200, approved.body)
  const view = approved.json()
  t.equal(view.status, 'active')
  t.equal(Date.parse(view.endDateTime) - Date.parse(view.activatedDateTime), 60 * 86_400_000, 'end = activated + duration')
  const requests = (await call(app, admin, { url: `${BASE}/${rel.id}/requests` })).json().value
  t.same(requests.map((r: { action: string, status: string }) => [r.action, r.status]), [['lockForApproval', 'succeeded'], ['approve', 'succeeded']])
  const one = await call(app, admin, { url: `${BASE}/${rel.id}/requests/${requests[0].id}` })
  t.equal(one.json().id, requests[0].id)

  const customers = (await call(app, admin, { url: '/v1.0/tenantRelationships/delegatedAdminCustomers' })).json().value
  t.ok(customers.some((c: { tenantId: string }) => c.tenantId === northwind!.id), 'an active relationship makes a delegated admin customer')
  const details = await call(app, admin, { url: `/v1.0/tenantRelationships/delegatedAdminCustomers/${northwind!.id}/serviceManagementDetails` })
  t.match(details.json().value[0], { serviceName: 'Microsoft 365 admin center', serviceManagementUrl: new RegExp(northwind!.id) })

  const other = (await newRelationship()).json()
  await call(app, admin, { method: 'POST', url: `${BASE}/${other.id}/requests`, payload: { action: 'lockForApproval' } })
  const rejected = await app.inject({ method: 'POST', url: `/_emulator/customers/${northwind!.id}/delegatedAdminRelationships/${other.id}/reject` })
  t.equal(rejected.json().status, 'terminated')
})

t.test('unapproved requests expire after 90 days; auto-extension moves the end date', async (t) => {
  const local = await build(t)
  const localAdmin = await userToken(local, USERS.adminAgent, { audience: GRAPH })
  const pending = DEMO_RELATIONSHIPS.find((r) => r.state.status === 'approvalPending')!
  t.equal((await call(local, localAdmin, { url: `${BASE}/${pending.id}` })).json().status, 'approvalPending')
  await local.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 89 * 86_400 } })
  t.equal((await call(local, localAdmin, { url: `${BASE}/${pending.id}` })).json().status, 'expired', '90 days after the lock (2 days before seeding)')
  const late = await local.inject({ method: 'POST', url: `/_emulator/customers/${northwind!.id}/delegatedAdminRelationships/${pending.id}/approve` })
  t.equal(late.statusCode, 400, 'an expired request cannot be approved')

  const created = await call(local, localAdmin, { method: 'POST', url: BASE, payload: { displayName: 'auto', duration: 'P1D', customer: { tenantId: northwind!.id }, accessDetails: roles(USER_ADMIN), autoExtendDuration: 'P180D' } })
  const id = created.json().id
  await call(local, localAdmin, { method: 'POST', url: `${BASE}/${id}/requests`, payload: { action: 'lockForApproval' } })
  const approved = (await local.inject({ method: 'POST', url: `/_emulator/customers/${northwind!.id}/delegatedAdminRelationships/${id}/approve` })).json()
  await local.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 2 * 86_400 } })
  const extended = (await call(local, localAdmin, { url: `${BASE}/${id}` })).json()
  t.equal(extended.status, 'active')
  t.equal(Date.parse(extended.endDateTime) - Date.parse(approved.endDateTime), 180 * 86_400_000, 'one 180-day extension')
})

t.test('access assignments: subset of roles, one per group, PATCH 202/200, DELETE deleting then deleted, operations', async (t) => {
  const rel = await activeRelationship()
  const url = `${BASE}/${rel.id}/accessAssignments`
  const group = DEMO_GROUPS[1]!.id
  const outside = await call(app, admin, { method: 'POST', url, payload: { accessContainer: { accessContainerId: group, accessContainerType: 'securityGroup' }, accessDetails: roles(GLOBAL_ADMIN) } })
  t.equal(outside.statusCode, 400)
  t.match(outside.json(), { error: { message: /not part of the relationship/ } })
  const unknownGroup = await call(app, admin, { method: 'POST', url, payload: { accessContainer: { accessContainerId: crypto.randomUUID(), accessContainerType: 'securityGroup' }, accessDetails: roles(USER_ADMIN) } })
  t.equal(unknownGroup.statusCode, 400)

  const created = await call(app, admin, { method: 'POST', url, payload: { accessContainer: { accessContainerId: group, accessContainerType: 'securityGroup' }, accessDetails: roles(USER_ADMIN) } })
  t.equal(created.statusCode, 201, created.body)
  const assignment = created.json()
  t.match(assignment, { status: 'pending', accessContainer: { accessContainerId: group }, '@odata.etag': /^W\// })
  t.match(created.headers.location, new RegExp(`${url}/${assignment.id}$`))
  const dup = await call(app, admin, { method: 'POST', url, payload: { accessContainer: { accessContainerId: group, accessContainerType: 'securityGroup' }, accessDetails: roles(LICENSE_ADMIN) } })
  t.equal(dup.statusCode, 409)
  const read = (await call(app, admin, { url: `${url}/${assignment.id}` })).json()
  t.equal(read.status, 'active')
  t.equal((await call(app, admin, { url })).json().value.length, 1)

  const same = await call(app, admin, { method: 'PATCH', url: `${url}/${assignment.id}`, headers: { 'if-match': read['@odata.etag'] }, payload: { accessDetails: roles(USER_ADMIN) } })
  t.equal(same.statusCode, 200, 'unchanged roles: 200 with the assignment')
  const changed = await call(app, admin, { method: 'PATCH', url: `${url}/${assignment.id}`, headers: { 'if-match': read['@odata.etag'] }, payload: { accessDetails: roles(USER_ADMIN, LICENSE_ADMIN) } })
  t.equal(changed.statusCode, 202)
  t.equal(changed.headers['retry-after'], '10')
  const operationUrl = new URL(String(changed.headers.location))
  const operation = (await call(app, admin, { url: operationUrl.pathname })).json()
  t.match(operation, { operationType: 'delegatedAdminAccessAssignmentUpdate', status: 'succeeded' })
  t.match(JSON.parse(operation.data), { id: assignment.id, accessDetails: { unifiedRoles: [{ roleDefinitionId: USER_ADMIN }, { roleDefinitionId: LICENSE_ADMIN }] } })
  t.equal((await call(app, admin, { url: `${BASE}/${rel.id}/operations` })).json().value.length, 1)
  const stale = await call(app, admin, { method: 'PATCH', url: `${url}/${assignment.id}`, headers: { 'if-match': read['@odata.etag'] }, payload: { accessDetails: roles(USER_ADMIN) } })
  t.equal(stale.statusCode, 412)

  const latest = (await call(app, admin, { url: `${url}/${assignment.id}` })).json()
  t.equal((await call(app, admin, { method: 'DELETE', url: `${url}/${assignment.id}`, headers: { 'if-match': latest['@odata.etag'] } })).statusCode, 204)
  t.equal((await call(app, admin, { url: `${url}/${assignment.id}` })).json().status, 'deleting')
  await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 61 } })
  t.equal((await call(app, admin, { url: `${url}/${assignment.id}` })).json().status, 'deleted', 'one minute later')
})

t.test('who may call: Admin agents write; oversight roles read; others are refused; app-only allowed', async (t) => {
  const global = await userToken(app, USERS.globalAdmin, { audience: GRAPH })
  t.equal((await call(app, global, { url: BASE })).statusCode, 200)
  const write = await call(app, global, { method: 'POST', url: BASE, payload: { displayName: `g ${n++}`, duration: 'P30D', accessDetails: roles(USER_ADMIN) } })
  t.equal(write.statusCode, 403)
  t.match(write.json(), { error: { code: 'Authorization_RequestDenied', message: /Admin agent/ } })
  const sales = await userToken(app, USERS.salesAgent, { audience: GRAPH })
  t.equal((await call(app, sales, { url: BASE })).statusCode, 403)
  const appOnly = await mint(app, { audience: GRAPH })
  t.equal((await call(app, appOnly, { url: BASE })).statusCode, 200)
  const noMfa = await userToken(app, USERS.adminAgent, { audience: GRAPH, amr: ['pwd'] })
  const refused = await call(app, noMfa, { url: BASE })
  t.equal(refused.statusCode, 401)
  t.equal(refused.statusMessage, 'Unauthorized - MFA required')
  const pcToken = await userToken(app, USERS.adminAgent)
  t.equal((await call(app, pcToken, { url: BASE })).statusCode, 401, 'a Partner Center token is not a Graph token')
})

t.test('the security group control plane', async (t) => {
  const created = await app.inject({ method: 'POST', url: `/_emulator/tenants/${PARTNER.id}/securityGroups`, payload: { displayName: `Group ${n++}`, members: [USERS.salesAgent.id] } })
  t.equal(created.statusCode, 201)
  const group = created.json()
  t.same(group.members, [USERS.salesAgent.id])
  t.equal((await app.inject({ method: 'PUT', url: `/_emulator/tenants/${PARTNER.id}/securityGroups/${group.id}/members/${USERS.noRole.id}` })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `/_emulator/tenants/${PARTNER.id}/securityGroups/${group.id}/members/${USERS.salesAgent.id}` })).statusCode, 204)
  const list = (await app.inject({ url: `/_emulator/tenants/${PARTNER.id}/securityGroups` })).json()
  t.same(list.find((g: { id: string }) => g.id === group.id).members, [USERS.noRole.id])
  t.equal((await app.inject({ method: 'POST', url: `/_emulator/tenants/${PARTNER.id}/securityGroups`, payload: { displayName: group.displayName } })).statusCode, 400)
})

t.test('Graph conventions: request-id and client-request-id headers, @odata.context on entities', async (t) => {
  const relationship = DEMO_RELATIONSHIPS[0]!
  const clientRequestId = crypto.randomUUID()
  const one = await call(app, admin, { url: `${BASE}/${relationship.id}`, headers: { 'client-request-id': clientRequestId } })
  t.equal(one.headers['client-request-id'], clientRequestId, 'echoed')
  t.match(one.headers['request-id'], /^[0-9a-f-]{36}$/)
  t.equal(one.json()['@odata.context'], 'http://127.0.0.1:8080/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships/$entity')
  t.equal(Object.keys(one.json())[0], '@odata.context', 'first, as Graph writes it')
  const assignment = relationship.assignments[0]!
  const nested = await call(app, admin, { url: `${BASE}/${relationship.id}/accessAssignments/${assignment.id}` })
  t.equal(nested.json()['@odata.context'], `http://127.0.0.1:8080/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships('${relationship.id}')/accessAssignments/$entity`)
  const missing = await call(app, admin, { url: `${BASE}/${crypto.randomUUID()}` })
  t.equal(missing.json().error.innerError['request-id'], missing.headers['request-id'], 'errors name the same ids')
  t.equal(missing.json().error.innerError['client-request-id'], missing.headers['client-request-id'])
  t.notOk('@odata.context' in missing.json(), 'no context on an error')
})

t.test('Graph permissions: Read.All reads, ReadWrite.All writes, in scp (delegated) or roles (application)', async (t) => {
  const denied = (res: { statusCode: number, json: () => { error: { code: string } } }) => res.statusCode === 403 && res.json().error.code === 'Authorization_RequestDenied'
  const relationship = DEMO_RELATIONSHIPS[0]!
  const reader = await userToken(app, USERS.adminAgent, { audience: GRAPH, claims: { scp: 'DelegatedAdminRelationship.Read.All' } })
  t.equal((await call(app, reader, { url: `${BASE}/${relationship.id}` })).statusCode, 200, 'Read.All reads')
  const write = await call(app, reader, { method: 'POST', url: BASE, payload: { displayName: 'x', duration: 'P1D', accessDetails: roles(USER_ADMIN) } })
  t.ok(denied(write), 'Read.All does not write')
  t.match(write.headers['www-authenticate'], /insufficient_scope/)
  t.ok(denied(await call(app, await userToken(app, USERS.adminAgent, { audience: GRAPH, claims: { scp: 'User.Read' } }), { url: BASE })), 'User.Read lists nothing')

  const app1 = await mint(app, { audience: GRAPH })
  t.equal((await call(app, app1, { url: BASE })).statusCode, 200, 'an app-only token carries the granted application permission')
  t.ok(denied(await call(app, await mint(app, { audience: GRAPH, claims: { roles: ['User.Read.All'] } }), { url: BASE })), 'roles User.Read.All lists nothing')
  t.ok(denied(await call(app, await mint(app, { audience: GRAPH, claims: { scp: undefined, roles: ['DelegatedAdminRelationship.Read.All'] } }), { method: 'DELETE', url: `${BASE}/${relationship.id}`, headers: { 'if-match': '*' } })), 'roles Read.All does not delete')
})
