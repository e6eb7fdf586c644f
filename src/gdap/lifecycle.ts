// The GDAP lifecycle as pure functions of the stored row and the emulator clock. Stored rows keep
// the status an action set and the times it happened; what a client sees (and what grants access)
// is derived here at read time, so an expired relationship grants nothing the moment it expires,
// whether or not any background job has run.
import type { GdapAccessAssignmentRow, GdapRelationshipRow } from '../db/schema.js'
import { ENTRA_ROLES } from '../directory/entra-roles.js'

export type RelationshipStatus =
  | 'created' | 'approvalPending' | 'approved' | 'activating' | 'active' | 'expiring' | 'expired'
  | 'terminationRequested' | 'terminating' | 'terminated'
export type AssignmentStatus = 'pending' | 'active' | 'deleting' | 'deleted' | 'error'

const DAY_MS = 86_400_000
/** Unapproved relationship requests expire after this many days (LEARN GDAP FAQ). */
export const APPROVAL_WINDOW_DAYS = 90
/** An active relationship without auto-extension shows `expiring` this many days before its end (inferred). */
export const EXPIRING_WINDOW_DAYS = 30
/** Each transient step (terminationRequested → terminating → terminated, deleting → deleted) lasts this long. */
export const TRANSITION_STEP_MS = 60_000
export const MAX_DURATION_DAYS = 730
export const AUTO_EXTEND_VALUES = ['PT0S', 'P0D', 'P180D'] as const

/** ISO 8601 durations as GDAP accepts them: PnD, PnW, PnY (2 years at most), e.g. P730D. */
export function durationDays (duration: string): number | undefined {
  const match = /^P(\d{1,4})([DWY])$/i.exec(duration)
  if (!match) return undefined
  const unit = match[2]!.toUpperCase()
  const days = Number(match[1]) * (unit === 'Y' ? 365 : unit === 'W' ? 7 : 1)
  return days >= 1 && days <= MAX_DURATION_DAYS ? days : undefined
}

export const autoExtendDays = (value: string) => value === 'P180D' ? 180 : 0

export const hasGlobalAdministrator = (roles: readonly string[]) => roles.includes(ENTRA_ROLES.globalAdministrator.id)

export interface RelationshipView {
  status: RelationshipStatus
  activatedDateTime: Date | null
  endDateTime: Date | null
}

/**
 * The end a relationship not yet active is heading for: created + duration, as the Graph create and
 * get samples show before approval; activation moves it to activated + duration.
 */
const projectedEnd = (row: GdapRelationshipRow) => new Date(row.created_at.getTime() + (durationDays(row.duration) ?? 0) * DAY_MS)

/** What the relationship is at `now`. */
export function relationshipAt (row: GdapRelationshipRow, now: Date): RelationshipView {
  const t = now.getTime()
  switch (row.status) {
    case 'approvalPending': {
      const deadline = row.lock_requested_at!.getTime() + APPROVAL_WINDOW_DAYS * DAY_MS
      return t < deadline
        ? { status: 'approvalPending', activatedDateTime: null, endDateTime: projectedEnd(row) }
        : { status: 'expired', activatedDateTime: null, endDateTime: new Date(deadline) }
    }
    case 'active': {
      const activated = row.activated_at!
      let end = activated.getTime() + durationDays(row.duration)! * DAY_MS
      const extension = hasGlobalAdministrator(row.roles) ? 0 : autoExtendDays(row.auto_extend_duration) * DAY_MS
      if (t >= end && extension > 0) end += Math.ceil((t - end + 1) / extension) * extension
      if (t >= end) return { status: 'expired', activatedDateTime: activated, endDateTime: new Date(end) }
      const expiring = extension === 0 && end - t <= EXPIRING_WINDOW_DAYS * DAY_MS
      return { status: expiring ? 'expiring' : 'active', activatedDateTime: activated, endDateTime: new Date(end) }
    }
    case 'terminationRequested': {
      const requested = row.terminate_requested_at!.getTime()
      const status = t < requested + TRANSITION_STEP_MS
        ? 'terminationRequested'
        : t < requested + 2 * TRANSITION_STEP_MS ? 'terminating' : 'terminated'
      return { status, activatedDateTime: row.activated_at, endDateTime: status === 'terminated' ? new Date(requested + 2 * TRANSITION_STEP_MS) : null }
    }
    case 'terminated':
      return { status: 'terminated', activatedDateTime: row.activated_at, endDateTime: row.last_modified_at }
    default:
      return { status: 'created', activatedDateTime: null, endDateTime: projectedEnd(row) }
  }
}

/** Only an active (or expiring) relationship grants its roles. */
export const grantsAccess = (status: RelationshipStatus) => status === 'active' || status === 'expiring'

/** What an access assignment is at `now`, given its relationship's status then. */
export function assignmentAt (row: GdapAccessAssignmentRow, relationship: RelationshipStatus, now: Date): AssignmentStatus {
  if (row.delete_requested_at) {
    return now.getTime() < row.delete_requested_at.getTime() + TRANSITION_STEP_MS ? 'deleting' : 'deleted'
  }
  if (grantsAccess(relationship)) return 'active'
  return relationship === 'expired' || relationship === 'terminated' || relationship === 'terminating' ? 'deleted' : 'pending'
}

/** Relationship ids look like Microsoft's: two GUIDs joined with a hyphen. */
export const newRelationshipId = () => `${crypto.randomUUID()}-${crypto.randomUUID()}`
