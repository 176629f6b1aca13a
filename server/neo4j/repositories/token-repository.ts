// Owns the Cypher of API tokens: (:ApiToken) records holding a hash, never the token; revocation is a
// timestamp so a revoked token stays listed for the record.
import type { StoredToken } from '../../domain/auth/api-token';
import type { Tx } from '../db';
import { fields } from './fields';

const FIELDS = `t.id AS id, t.name AS name, t.subject AS subject, t.roles AS roles, t.sources AS sources, t.hash AS hash,
  toString(t.createdAt) AS createdAt, t.createdBy AS createdBy, toString(t.expiresAt) AS expiresAt,
  toString(t.lastUsedAt) AS lastUsedAt, toString(t.revokedAt) AS revokedAt`;

type NewToken = Omit<StoredToken, 'createdAt' | 'lastUsedAt' | 'revokedAt'>;

export async function createToken(tx: Tx, t: NewToken): Promise<void> {
  await tx.run(
    `CREATE (:ApiToken {id: $id, name: $name, subject: $subject, roles: $roles, sources: $sources, hash: $hash,
       createdAt: datetime(), createdBy: $createdBy, expiresAt: CASE WHEN $expiresAt IS NULL THEN null ELSE datetime($expiresAt) END})`,
    t,
  );
}

export async function tokenById(tx: Tx, id: string): Promise<StoredToken | undefined> {
  const res = await tx.run(`MATCH (t:ApiToken {id: $id}) RETURN ${FIELDS}`, { id });
  return res.records[0] ? toToken(res.records[0].toObject()) : undefined;
}

export async function listTokens(tx: Tx): Promise<StoredToken[]> {
  const res = await tx.run(`MATCH (t:ApiToken) RETURN ${FIELDS} ORDER BY t.createdAt DESC LIMIT 1000`);
  return res.records.map((r) => toToken(r.toObject()));
}

/** Returns whether a token was revoked by this call (false: unknown or already revoked). */
export async function revokeToken(tx: Tx, id: string, by: string): Promise<boolean> {
  const res = await tx.run(
    'MATCH (t:ApiToken {id: $id}) WHERE t.revokedAt IS NULL SET t.revokedAt = datetime(), t.revokedBy = $by RETURN t.id AS id',
    { id, by },
  );
  return res.records.length > 0;
}

export async function revokeTokensNamed(tx: Tx, names: string[], by: string): Promise<void> {
  await tx.run('MATCH (t:ApiToken) WHERE t.name IN $names AND t.revokedAt IS NULL SET t.revokedAt = datetime(), t.revokedBy = $by', { names, by });
}

export async function touchToken(tx: Tx, id: string): Promise<void> {
  await tx.run('MATCH (t:ApiToken {id: $id}) SET t.lastUsedAt = datetime()', { id });
}

function toToken(r: Record<string, unknown>): StoredToken {
  const f = fields(r, `API token ${String(r.id)}`);
  return {
    id: f.text('id'),
    name: f.text('name'),
    subject: f.text('subject'),
    roles: f.texts('roles'),
    sources: f.texts('sources'),
    hash: f.text('hash'),
    createdAt: f.instant('createdAt'),
    createdBy: f.text('createdBy'),
    expiresAt: f.instantOrNull('expiresAt'),
    lastUsedAt: f.instantOrNull('lastUsedAt'),
    revokedAt: f.instantOrNull('revokedAt'),
  };
}
