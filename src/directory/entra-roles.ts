// Entra directory roles of a customer tenant (template ids, as in GDAP `roleDefinitionId`), and the
// GDAP roles each customer-directory operation accepts (the least-privileged roles Microsoft lists for
// each task; see docs/fidelity.md).

export const ENTRA_ROLES = {
  globalAdministrator: { id: '62e90394-69f5-4237-9190-012177145e10', name: 'Global Administrator' },
  globalReader: { id: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', name: 'Global Reader' },
  userAdministrator: { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', name: 'User Administrator' },
  licenseAdministrator: { id: '4d6ac14f-3453-41d0-bef9-a3e0c569773a', name: 'License Administrator' },
  helpdeskAdministrator: { id: '729827e3-9c14-49f7-bb1b-9608f156bbb8', name: 'Helpdesk Administrator' },
  passwordAdministrator: { id: '966707d0-3269-4727-9be2-8c3a10f19b9d', name: 'Password Administrator' },
  directoryReaders: { id: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', name: 'Directory Readers' },
  directoryWriters: { id: '9360feb5-f418-4baa-8175-e2a00bac4301', name: 'Directory Writers' },
  privilegedRoleAdministrator: { id: 'e8611ab8-c189-46e8-94e1-60213ab1f814', name: 'Privileged Role Administrator' },
  privilegedAuthenticationAdministrator: { id: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', name: 'Privileged Authentication Administrator' },
  authenticationAdministrator: { id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', name: 'Authentication Administrator' },
  securityAdministrator: { id: '194ae4cb-b126-40b2-bd5b-6091b380977d', name: 'Security Administrator' },
  securityReader: { id: '5d6b6bb7-de71-4623-b4af-96380a352509', name: 'Security Reader' },
  billingAdministrator: { id: 'b0f54661-2d74-4c50-afa3-1ec803f12efe', name: 'Billing Administrator' },
  serviceSupportAdministrator: { id: 'f023fd81-a637-4b56-95fd-791ac0226033', name: 'Service Support Administrator' },
  exchangeAdministrator: { id: '29232cdf-9323-42fd-ade2-1d097af3e4de', name: 'Exchange Administrator' },
  sharePointAdministrator: { id: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c', name: 'SharePoint Administrator' },
  teamsAdministrator: { id: '69091246-20e8-4a56-aa4d-066075b2a7a8', name: 'Teams Administrator' },
  intuneAdministrator: { id: '3a2c62db-5318-420d-8d74-23affee5d9d5', name: 'Intune Administrator' },
  groupsAdministrator: { id: 'fdd7a751-b60b-444a-984c-02652fe8fa1c', name: 'Groups Administrator' },
  applicationAdministrator: { id: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', name: 'Application Administrator' },
  cloudApplicationAdministrator: { id: '158c047a-c907-4556-b7ef-446551a6b5f7', name: 'Cloud Application Administrator' },
  cloudDeviceAdministrator: { id: '7698a772-787b-4ac8-901f-60d6b08affd2', name: 'Cloud Device Administrator' },
  complianceAdministrator: { id: '17315797-102d-40b4-93e0-432062caca18', name: 'Compliance Administrator' },
  conditionalAccessAdministrator: { id: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', name: 'Conditional Access Administrator' },
  dynamics365Administrator: { id: '44367163-eba1-44c3-98af-f5787879f96a', name: 'Dynamics 365 Administrator' },
  powerPlatformAdministrator: { id: '11648597-926c-4cf3-9c36-bcebb0ba8dcc', name: 'Power Platform Administrator' },
  reportsReader: { id: '4a5d8f65-41da-4de4-8968-e035b65339cf', name: 'Reports Reader' },
  messageCenterReader: { id: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', name: 'Message Center Reader' },
  azureDevOpsAdministrator: { id: 'e3973bdf-4987-49ae-837a-ba8e231c7286', name: 'Azure DevOps Administrator' },
  windows365Administrator: { id: '11451d60-acb2-45eb-a7d6-43d0f0125c13', name: 'Windows 365 Administrator' },
  directorySynchronizationAccounts: { id: 'd29b2b05-8046-44ba-8758-1e26182fcf32', name: 'Directory Synchronization Accounts' },
  partnerTier1Support: { id: '4ba39ca4-527c-499a-b93d-d9b492c50246', name: 'Partner Tier1 Support' },
  partnerTier2Support: { id: 'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8', name: 'Partner Tier2 Support' }
} as const

export type EntraRole = keyof typeof ENTRA_ROLES

const NAME_BY_ID = new Map<string, string>(Object.values(ENTRA_ROLES).map((r) => [r.id, r.name]))

export const isEntraRoleId = (id: string): boolean => NAME_BY_ID.has(id.toLowerCase())
export const entraRoleName = (id: string): string => NAME_BY_ID.get(id.toLowerCase()) ?? id

const ids = (...roles: EntraRole[]) => roles.map((r) => ENTRA_ROLES[r].id)

/** GDAP roles that allow each customer-directory operation (any one is enough). */
export const GDAP_ROLES = {
  readUsers: ids('directoryReaders', 'globalReader', 'userAdministrator'),
  createUser: ids('userAdministrator', 'directoryWriters'),
  updateUser: ids('userAdministrator', 'directoryWriters'),
  deleteUser: ids('userAdministrator'),
  restoreUser: ids('userAdministrator'),
  resetPassword: ids('userAdministrator', 'privilegedAuthenticationAdministrator'),
  // One page (Get user roles for a customer) covers a user's roles, the roles and a role's members.
  readDirectoryRoles: ids('directoryReaders', 'globalReader', 'userAdministrator', 'privilegedRoleAdministrator', 'directoryWriters'),
  changeRoleMembers: ids('privilegedRoleAdministrator'),
  readSubscribedSkus: ids('directoryReaders', 'globalReader', 'userAdministrator', 'licenseAdministrator'),
  readUserLicenses: ids('directoryReaders', 'directoryWriters', 'userAdministrator', 'licenseAdministrator'),
  updateLicenses: ids('licenseAdministrator', 'userAdministrator', 'directoryWriters')
} as const satisfies Record<string, readonly string[]>

/** The directory roles a customer tenant lists (`GET /v1/customers/{id}/directoryroles`). */
export const CUSTOMER_DIRECTORY_ROLES = [
  ENTRA_ROLES.globalAdministrator, ENTRA_ROLES.userAdministrator, ENTRA_ROLES.helpdeskAdministrator,
  ENTRA_ROLES.licenseAdministrator, ENTRA_ROLES.billingAdministrator, ENTRA_ROLES.globalReader,
  ENTRA_ROLES.directoryReaders, ENTRA_ROLES.directoryWriters, ENTRA_ROLES.privilegedRoleAdministrator,
  ENTRA_ROLES.securityAdministrator, ENTRA_ROLES.exchangeAdministrator, ENTRA_ROLES.sharePointAdministrator
]
