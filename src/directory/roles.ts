// Partner Center roles of partner-tenant users, and how real Entra tokens map onto some of them.

export const PARTNER_ROLES = {
  admin_agent: 'Admin agent',
  sales_agent: 'Sales agent',
  helpdesk_agent: 'Helpdesk agent',
  billing_admin: 'Billing admin',
  global_admin: 'Global admin',
  security_admin: 'Security admin'
} as const

export type PartnerRole = keyof typeof PARTNER_ROLES

export const isPartnerRole = (value: string): value is PartnerRole => Object.hasOwn(PARTNER_ROLES, value)

export const roleNames = (roles: readonly PartnerRole[]) => roles.map((r) => PARTNER_ROLES[r])

/**
 * Entra directory roles (template ids in the token's `wids` claim) that are Partner Center roles.
 * The agent roles are Partner Center group memberships that a token does not carry: for a real
 * Entra user they come from the users the emulator knows (control plane or demo data).
 */
export const ENTRA_ROLE_TEMPLATES: Record<string, PartnerRole> = {
  '62e90394-69f5-4237-9190-012177145e10': 'global_admin',
  'b0f54661-2d74-4c50-afa3-1ec803f12efe': 'billing_admin',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'security_admin'
}
