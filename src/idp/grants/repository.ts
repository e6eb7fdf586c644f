// SQL of the token endpoint's grants: authorization codes, refresh tokens (rotating, in families) and
// device codes. Codes and tokens are kept as SHA-256 hashes only.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type {
  AuthorizationCodeRow, AuthorizationCodesTable, Database, DeviceCodeRow, DeviceCodesTable, RefreshTokenRow, RefreshTokensTable
} from '../../db/schema.js'

export function createGrantsRepository (db: Kysely<Database>) {
  return {
    async insertCode (row: Insertable<AuthorizationCodesTable>): Promise<void> {
      await db.insertInto('authorization_codes').values(row).execute()
    },

    /** The code, locked until the transaction ends: it is redeemed once. */
    lockCode (codeHash: string): Promise<AuthorizationCodeRow | undefined> {
      return db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash).forUpdate().executeTakeFirst()
    },

    /** Marks the code redeemed, with the refresh token family its tokens begin. */
    async redeemCode (codeHash: string, at: Date, familyId: string): Promise<void> {
      await db.updateTable('authorization_codes').set({ redeemed_at: at, family_id: familyId }).where('code_hash', '=', codeHash).execute()
    },

    async insertRefreshToken (row: Insertable<RefreshTokensTable>): Promise<void> {
      await db.insertInto('refresh_tokens').values(row).execute()
    },

    /** The refresh token, locked until the transaction ends: it is redeemed once. */
    lockRefreshToken (tokenHash: string): Promise<RefreshTokenRow | undefined> {
      return db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst()
    },

    async spendRefreshToken (tokenHash: string, at: Date): Promise<void> {
      await db.updateTable('refresh_tokens').set({ spent_at: at }).where('token_hash', '=', tokenHash).execute()
    },

    async revokeFamily (familyId: string, at: Date): Promise<void> {
      await db.updateTable('refresh_tokens').set({ revoked_at: at }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute()
    },

    /** Revokes every refresh token of a user (a password reset, an administrator's revoke). */
    async revokeUserTokens (userId: string, at: Date): Promise<number> {
      const result = await db.updateTable('refresh_tokens').set({ revoked_at: at })
        .where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst()
      return Number(result.numUpdatedRows)
    },

    /** Deletes authorization codes and device codes that expired (a day ago: a late redemption still gets its own error). */
    async purgeExpired (now: Date): Promise<void> {
      const dayAgo = new Date(now.getTime() - 86_400_000)
      await db.deleteFrom('authorization_codes').where('expires_at', '<=', dayAgo).execute()
      await db.deleteFrom('device_codes').where('expires_at', '<=', dayAgo).execute()
    },

    async insertDeviceCode (row: Insertable<DeviceCodesTable>): Promise<void> {
      await db.insertInto('device_codes').values(row).execute()
    },

    lockDeviceCode (deviceCodeHash: string): Promise<DeviceCodeRow | undefined> {
      return db.selectFrom('device_codes').selectAll().where('device_code_hash', '=', deviceCodeHash).forUpdate().executeTakeFirst()
    },

    /** A pending device code by the code the user types, while it has not expired. */
    deviceCodeByUserCode (userCode: string, now: Date): Promise<DeviceCodeRow | undefined> {
      return db.selectFrom('device_codes').selectAll().where('user_code', '=', userCode).where('status', '=', 'pending')
        .where('expires_at', '>', now).executeTakeFirst()
    },

    /** The user's approval (or refusal) of a pending device code; false when it is no longer pending (approved elsewhere, or expired). */
    async decideDeviceCode (deviceCodeHash: string, decision: Updateable<DeviceCodesTable>, now: Date): Promise<boolean> {
      const updated = await db.updateTable('device_codes').set(decision)
        .where('device_code_hash', '=', deviceCodeHash).where('status', '=', 'pending').where('expires_at', '>', now).executeTakeFirst()
      return updated.numUpdatedRows === 1n
    },

    async markDeviceCodeRedeemed (deviceCodeHash: string): Promise<void> {
      await db.updateTable('device_codes').set({ status: 'redeemed' }).where('device_code_hash', '=', deviceCodeHash).execute()
    }
  }
}

export type GrantsRepository = ReturnType<typeof createGrantsRepository>
