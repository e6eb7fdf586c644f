// The Graph permissions of the GDAP operations, as each operation's Graph page lists them (the same
// for delegated and application access): reads take Read.All or ReadWrite.All, writes ReadWrite.All.
export const GDAP_READ = ['DelegatedAdminRelationship.Read.All', 'DelegatedAdminRelationship.ReadWrite.All'] as const
export const GDAP_WRITE = ['DelegatedAdminRelationship.ReadWrite.All'] as const
