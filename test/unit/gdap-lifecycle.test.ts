// GDAP lifecycle (src/gdap/lifecycle.ts): durations, the status derived from a stored row and the clock, access and assignments.
import t from 'tap'
import type { GdapAccessAssignmentRow, GdapRelationshipRow } from '../../src/db/schema.js'
import { ENTRA_ROLES } from '../../src/directory/entra-roles.js'
import {
  assignmentAt, durationDays, grantsAccess, newRelationshipId, relationshipAt, type RelationshipStatus
} from '../../src/gdap/lifecycle.js'

const DAY = 86_400_000
const MINUTE = 60_000
const T0 = new Date('2025-01-01T00:00:00.000Z')
const at = (ms: number) => new Date(T0.getTime() + ms)
const READER = ENTRA_ROLES.globalReader.id
const GLOBAL_ADMIN = ENTRA_ROLES.globalAdministrator.id

function relationship (fields: Partial<GdapRelationshipRow>): GdapRelationshipRow {
  return {
    id: 'rel-1',
    partner_tenant_id: '00000000-0000-0000-0000-000000000001',
    display_name: 'Unit',
    duration: 'P730D',
    customer_tenant_id: null,
    customer_display_name: null,
    roles: [READER],
    auto_extend_duration: 'PT0S',
    status: 'active',
    created_at: T0,
    last_modified_at: T0,
    lock_requested_at: null,
    activated_at: T0,
    terminate_requested_at: null,
    version: 1,
    ...fields
  }
}

function assignment (fields: Partial<GdapAccessAssignmentRow> = {}): GdapAccessAssignmentRow {
  return {
    id: 'asg-1', relationship_id: 'rel-1', group_id: 'grp-1', roles: [READER],
    created_at: T0, last_modified_at: T0, delete_requested_at: null, version: 1, ...fields
  }
}

t.test('durationDays', async (t) => {
  t.equal(durationDays('P1D'), 1)
  t.equal(durationDays('P730D'), 730)
  t.equal(durationDays('P2Y'), 730)
  t.equal(durationDays('P1Y'), 365)
  t.equal(durationDays('P104W'), 728)
  t.equal(durationDays('p30d'), 30, 'lower case is accepted')
  t.equal(durationDays('p2y'), 730)
  t.equal(durationDays('P731D'), undefined, 'more than two years')
  t.equal(durationDays('P3Y'), undefined)
  t.equal(durationDays('P105W'), undefined, '735 days')
  t.equal(durationDays('P0D'), undefined, 'zero days')
  for (const garbage of ['', 'P', 'P1', 'PT1H', 'P1M', '30', 'P1.5D', 'P-1D', 'P10000D', 'P1Y6M', ' P1D', 'P1D ', 'P1D\n']) {
    t.equal(durationDays(garbage), undefined, JSON.stringify(garbage))
  }
})

t.test('relationshipAt: approvalPending expires after 90 days', async (t) => {
  const row = relationship({ status: 'approvalPending', activated_at: null, lock_requested_at: T0 })
  t.same(relationshipAt(row, T0), { status: 'approvalPending', activatedDateTime: null, endDateTime: at(730 * DAY) }, 'projected: created + duration')
  t.equal(relationshipAt(row, at(90 * DAY - 1)).status, 'approvalPending')
  t.same(relationshipAt(row, at(90 * DAY)), { status: 'expired', activatedDateTime: null, endDateTime: at(90 * DAY) })
  t.same(relationshipAt(row, at(400 * DAY)).endDateTime, at(90 * DAY), 'the end stays at the deadline')
})

t.test('relationshipAt: active without auto-extension', async (t) => {
  const row = relationship({ duration: 'P730D' })
  const end = at(730 * DAY)
  t.same(relationshipAt(row, T0), { status: 'active', activatedDateTime: T0, endDateTime: end })
  t.equal(relationshipAt(row, at(700 * DAY - 1)).status, 'active', 'just over 30 days left')
  t.equal(relationshipAt(row, at(700 * DAY)).status, 'expiring', 'exactly 30 days left')
  t.same(relationshipAt(row, at(730 * DAY - 1)), { status: 'expiring', activatedDateTime: T0, endDateTime: end })
  t.same(relationshipAt(row, end), { status: 'expired', activatedDateTime: T0, endDateTime: end })
  t.same(relationshipAt(row, at(2000 * DAY)).endDateTime, end)
  for (const off of ['PT0S', 'P0D']) {
    t.equal(relationshipAt(relationship({ auto_extend_duration: off }), end).status, 'expired', off)
  }
})

t.test('relationshipAt: auto-extension by P180D', async (t) => {
  const row = relationship({ duration: 'P60D', auto_extend_duration: 'P180D' })
  const end = 60 * DAY
  t.same(relationshipAt(row, at(end - 1)), { status: 'active', activatedDateTime: T0, endDateTime: at(end) }, 'never expiring')
  t.same(relationshipAt(row, at(end)).endDateTime, at(end + 180 * DAY), 'extended when the end is reached')
  t.equal(relationshipAt(row, at(end)).status, 'active')
  t.same(relationshipAt(row, at(end + 180 * DAY - 1)).endDateTime, at(end + 180 * DAY))
  t.same(relationshipAt(row, at(end + 180 * DAY)).endDateTime, at(end + 360 * DAY))
  const later = relationshipAt(row, at(end + 10 * 180 * DAY + 5 * DAY))
  t.same(later, { status: 'active', activatedDateTime: T0, endDateTime: at(end + 11 * 180 * DAY) })

  const withGlobalAdmin = relationship({ duration: 'P60D', auto_extend_duration: 'P180D', roles: [READER, GLOBAL_ADMIN] })
  t.equal(relationshipAt(withGlobalAdmin, at(end - 1)).status, 'expiring', 'Global Administrator: no extension')
  t.same(relationshipAt(withGlobalAdmin, at(end)), { status: 'expired', activatedDateTime: T0, endDateTime: at(end) })
})

t.test('relationshipAt: termination steps', async (t) => {
  const requested = 5 * DAY
  const row = relationship({ status: 'terminationRequested', terminate_requested_at: at(requested) })
  t.same(relationshipAt(row, at(requested)), { status: 'terminationRequested', activatedDateTime: T0, endDateTime: null })
  t.equal(relationshipAt(row, at(requested + MINUTE - 1)).status, 'terminationRequested')
  t.same(relationshipAt(row, at(requested + MINUTE)), { status: 'terminating', activatedDateTime: T0, endDateTime: null })
  t.equal(relationshipAt(row, at(requested + 2 * MINUTE - 1)).status, 'terminating')
  const done = { status: 'terminated', activatedDateTime: T0, endDateTime: at(requested + 2 * MINUTE) }
  t.same(relationshipAt(row, at(requested + 2 * MINUTE)), done)
  t.same(relationshipAt(row, at(requested + 100 * DAY)), done)
})

t.test('relationshipAt: terminated and other stored statuses', async (t) => {
  const terminated = relationship({ status: 'terminated', last_modified_at: at(3 * DAY) })
  t.same(relationshipAt(terminated, at(10 * DAY)), { status: 'terminated', activatedDateTime: T0, endDateTime: at(3 * DAY) })
  const declined = relationship({ status: 'terminated', activated_at: null, last_modified_at: at(DAY) })
  t.same(relationshipAt(declined, at(2 * DAY)), { status: 'terminated', activatedDateTime: null, endDateTime: at(DAY) })
  const created = relationship({ status: 'created', activated_at: null })
  t.same(relationshipAt(created, at(1000 * DAY)), { status: 'created', activatedDateTime: null, endDateTime: at(730 * DAY) }, 'projected: created + duration')
  t.same(relationshipAt({ ...created, duration: 'P30D' }, T0).endDateTime, at(30 * DAY), 'the projection follows the duration')
})

t.test('grantsAccess', async (t) => {
  const all: RelationshipStatus[] = ['created', 'approvalPending', 'approved', 'activating', 'active', 'expiring',
    'expired', 'terminationRequested', 'terminating', 'terminated']
  t.same(all.filter(grantsAccess), ['active', 'expiring'])
  const row = relationship({ duration: 'P90D' })
  t.ok(grantsAccess(relationshipAt(row, at(90 * DAY - 1)).status), 'granted until the last millisecond')
  t.notOk(grantsAccess(relationshipAt(row, at(90 * DAY)).status), 'nothing at the end')
})

t.test('assignmentAt', async (t) => {
  const deleting = assignment({ delete_requested_at: at(DAY) })
  t.equal(assignmentAt(deleting, 'active', at(DAY)), 'deleting')
  t.equal(assignmentAt(deleting, 'active', at(DAY + MINUTE - 1)), 'deleting')
  t.equal(assignmentAt(deleting, 'active', at(DAY + MINUTE)), 'deleted')
  t.equal(assignmentAt(deleting, 'expired', at(DAY)), 'deleting', 'a requested deletion runs its course')

  const live = assignment()
  t.equal(assignmentAt(live, 'active', T0), 'active')
  t.equal(assignmentAt(live, 'expiring', T0), 'active')
  for (const status of ['expired', 'terminating', 'terminated'] as const) {
    t.equal(assignmentAt(live, status, T0), 'deleted', status)
  }
  for (const status of ['created', 'approvalPending', 'approved', 'activating'] as const) {
    t.equal(assignmentAt(live, status, T0), 'pending', status)
  }
})

t.test('newRelationshipId', async (t) => {
  const guid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
  const id = newRelationshipId()
  t.match(id, new RegExp(`^${guid}-${guid}$`))
  t.equal(id.length, 73)
  t.not(newRelationshipId(), id)
})
