// Owns the Cypher that reads CIs: by id, filtered and keyset-paginated lists, full-text search, owners and
// first-level relationships in batches (for DataLoader), and teams.
import neo4j from 'neo4j-driver';
import type { ClassModel } from '../../domain/class-model/types';
import type { AttributeValue } from '../../domain/class-model/types';
import { parseRfc3339 } from '../../domain/input/rfc3339';
import { toLuceneQuery } from '../../domain/input/search-text';
import { ValidationError } from '../../errors';
import type { Tx } from '../db';
import { ciRowFrom, teamRowFrom, toIso, type CiRow, type EdgeRow, type TeamRow } from './rows';
import { fields } from './fields';

export interface CiFilter {
  ids?: string[];
  /** Class names at any level of the hierarchy; a CI matches if it is any of them. */
  classes?: string[];
  environments?: string[];
  lifecycles?: string[];
  criticalities?: number[];
  ownerTeamIds?: string[];
  ownerTeamNames?: string[];
  stale?: boolean;
  nameContains?: string;
  attributes?: { name: string; value: AttributeValue }[];
}

export type CiOrderField = 'NAME' | 'CRITICALITY' | 'UPDATED_AT' | 'CREATED_AT' | 'CLASS';
export interface CiOrder {
  field: CiOrderField;
  direction: 'ASC' | 'DESC';
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface CiPage {
  rows: CiRow[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

const ORDER_KEYS: Record<CiOrderField, { expr: string; datetime: boolean }> = {
  NAME: { expr: 'toLower(n.name)', datetime: false },
  CRITICALITY: { expr: 'coalesce(n.criticality, 9)', datetime: false },
  UPDATED_AT: { expr: 'n.updatedAt', datetime: true },
  CREATED_AT: { expr: 'n.createdAt', datetime: true },
  CLASS: { expr: 'n.class', datetime: false },
};

export const MAX_PAGE = 500;

/** A label is used only when the class model knows it; Cypher cannot take labels as parameters in a WHERE. */
export function labelFor(model: ClassModel, className: string, field = 'classes'): string {
  if (!model.has(className)) throw new ValidationError(field, `unknown class "${className}"`);
  return className;
}

/** Builds the WHERE clause for a filter over `n`; every value is a parameter, labels come from the model. */
export function filterClause(model: ClassModel, f: CiFilter, params: Record<string, unknown>): string {
  const parts: string[] = [];
  if (f.ids?.length) {
    parts.push('n.id IN $f_ids');
    params.f_ids = f.ids;
  }
  if (f.classes?.length) {
    parts.push(`(${f.classes.map((c) => `n:${labelFor(model, c)}`).join(' OR ')})`);
  }
  if (f.environments?.length) {
    parts.push('n.environment IN $f_envs');
    params.f_envs = f.environments;
  }
  if (f.lifecycles?.length) {
    parts.push('n.lifecycle IN $f_lifecycles');
    params.f_lifecycles = f.lifecycles;
  }
  if (f.criticalities?.length) {
    parts.push('n.criticality IN $f_crit');
    params.f_crit = f.criticalities;
  }
  if (f.ownerTeamIds?.length || f.ownerTeamNames?.length) {
    parts.push('EXISTS { MATCH (n)-[:OWNED_BY]->(t:Team) WHERE t.id IN $f_owner_ids OR t.name IN $f_owner_names }');
    params.f_owner_ids = f.ownerTeamIds ?? [];
    params.f_owner_names = f.ownerTeamNames ?? [];
  }
  if (f.stale !== undefined && f.stale !== null) {
    parts.push('coalesce(n.stale, false) = $f_stale');
    params.f_stale = f.stale;
  }
  if (f.nameContains) {
    parts.push('toLower(n.name) CONTAINS toLower($f_name)');
    params.f_name = f.nameContains;
  }
  f.attributes?.forEach((a, i) => {
    parts.push(`n[$f_attr_k${i}] = $f_attr_v${i}`);
    params[`f_attr_k${i}`] = a.name;
    params[`f_attr_v${i}`] = a.value;
  });
  return parts.length ? parts.join(' AND ') : 'true';
}

function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/** A cursor is caller input: its order value must be of the kind the order key holds, or Neo4j fails on it. */
function decodeCursor(cursor: string, field: string, datetime: boolean): [unknown, string] {
  try {
    const v = cursor.length <= 2048 ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown) : undefined;
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === 'string' && cursorValueFits(v[0], datetime)) return [v[0], v[1]];
  } catch {
    /* fall through */
  }
  throw new ValidationError(field, 'is not a cursor this API handed out');
}

function cursorValueFits(v: unknown, datetime: boolean): boolean {
  if (datetime) return typeof v === 'string' && parseRfc3339(v) !== undefined;
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

export async function listCis(
  tx: Tx,
  model: ClassModel,
  filter: CiFilter,
  order: CiOrder,
  page: PageArgs,
): Promise<CiPage> {
  if (page.first != null && page.last != null) throw new ValidationError('last', 'use either first or last, not both');
  const backward = page.last != null || (page.before != null && page.first == null);
  const size = (backward ? page.last : page.first) ?? 50;
  if (size < 0 || size > MAX_PAGE) {
    throw new ValidationError(backward ? 'last' : 'first', `must be between 0 and ${MAX_PAGE}`);
  }
  const params: Record<string, unknown> = { limit: neo4j.int(size + 1) };
  const where = filterClause(model, filter, params);
  const key = ORDER_KEYS[order.field];
  // Walking backwards is walking forwards in the opposite order, then reversing the page.
  const asc = (order.direction === 'ASC') !== backward;
  const cursor = backward ? page.before : page.after;
  let seek = 'true';
  let behind = 'false';
  if (cursor) {
    const [v, id] = decodeCursor(cursor, backward ? 'before' : 'after', key.datetime);
    params.c_v = v;
    params.c_id = id;
    const cv = key.datetime ? 'datetime($c_v)' : '$c_v';
    const cmp = asc ? '>' : '<';
    const back = asc ? '<' : '>';
    seek = `(${key.expr} ${cmp} ${cv} OR (${key.expr} = ${cv} AND n.id ${cmp} $c_id))`;
    behind = `(${key.expr} ${back} ${cv} OR (${key.expr} = ${cv} AND n.id ${back}= $c_id))`;
  }
  const dir = asc ? 'ASC' : 'DESC';
  const query = `
    CALL () { MATCH (n:CI) WHERE ${where} RETURN count(n) AS total }
    CALL () { MATCH (n:CI) WHERE ${where} AND ${behind} RETURN count(n) > 0 AS hasBehind }
    CALL () {
      MATCH (n:CI) WHERE ${where} AND ${seek}
      WITH n, ${key.expr} AS k ORDER BY k ${dir}, n.id ${dir} LIMIT $limit
      RETURN collect({props: properties(n), k: k}) AS rows
    }
    RETURN total, hasBehind, rows`;
  const res = await tx.run(query, params);
  const rec = res.records[0];
  const head = fields(rec?.toObject() ?? { total: 0, hasBehind: false, rows: [] }, 'page of CIs');
  const total = head.number('total');
  const hasBehind = head.flag('hasBehind');
  let rows = (rec?.get('rows') ?? []) as { props: Record<string, unknown>; k: unknown }[];
  const more = rows.length > size;
  rows = rows.slice(0, size);
  if (backward) rows.reverse();
  const mapped = rows.map((r) => ciRowFrom(r.props));
  const cursors = rows.map((r) => encodeCursor(key.datetime ? toIso(r.k) : r.k, String(r.props.id)));
  return {
    rows: mapped,
    cursors,
    hasNextPage: backward ? hasBehind : more,
    hasPreviousPage: backward ? more : hasBehind,
    totalCount: total,
  };
}

export async function cisByIds(tx: Tx, ids: readonly string[]): Promise<Map<string, CiRow>> {
  if (!ids.length) return new Map();
  const res = await tx.run('UNWIND $ids AS id MATCH (n:CI {id: id}) RETURN properties(n) AS p', { ids });
  return new Map(
    res.records.map((r) => {
      const row = ciRowFrom(r.get('p'));
      return [row.id, row];
    }),
  );
}

/** The class of each CI that exists, for checks that need nothing else. */
/** The class of each CI that exists, with its element id (valid within this transaction, for its later writes). */
export async function classesOf(tx: Tx, ids: readonly string[]): Promise<Map<string, { className: string; eid: string }>> {
  if (!ids.length) return new Map();
  const res = await tx.run('UNWIND $ids AS id MATCH (n:CI {id: id}) RETURN id, n.class AS className, elementId(n) AS eid', { ids });
  return new Map(
    res.records.map((r) => {
      const f = fields(r.toObject(), 'CI');
      return [f.text('id'), { className: f.text('className'), eid: f.text('eid') }];
    }),
  );
}

export interface SearchHit {
  row: CiRow;
  score: number;
}

/** Full-text search over plain words (server/domain/input/search-text): Lucene syntax in them is only text. */
export async function searchCis(
  tx: Tx,
  model: ClassModel,
  text: string,
  limit: number,
  classes: string[] = [],
): Promise<SearchHit[]> {
  const query = toLuceneQuery(text);
  if (!query.ok) throw new ValidationError('text', query.reason);
  const lucene = query.lucene;
  if (lucene === undefined) return [];
  const params: Record<string, unknown> = { q: lucene, limit: neo4j.int(limit) };
  const classFilter = classes.length ? `WHERE ${classes.map((c) => `n:${labelFor(model, c)}`).join(' OR ')}` : '';
  // The index is eventually consistent (migration 014): waiting for what has been committed keeps a search
  // consistent with the writes a user has seen succeed.
  await tx.run('CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()');
  const res = await tx.run(
    `CALL db.index.fulltext.queryNodes('ci_search', $q) YIELD node AS n, score
     ${classFilter}
     RETURN properties(n) AS p, score ORDER BY score DESC, n.name LIMIT $limit`,
    params,
  );
  return res.records.map((r) => ({ row: ciRowFrom(r.get('p')), score: fields(r.toObject(), 'search hit').number('score') }));
}

export async function ownersOf(tx: Tx, ciIds: readonly string[]): Promise<Map<string, TeamRow>> {
  const res = await tx.run(
    'UNWIND $ids AS id MATCH (:CI {id: id})-[:OWNED_BY]->(t:Team) RETURN id, properties(t) AS t',
    { ids: ciIds },
  );
  return new Map(res.records.map((r) => [r.get('id') as string, teamRowFrom(r.get('t'))]));
}

export type Direction = 'OUT' | 'IN';

/** First-level impacting relationships of many CIs in one query, for DataLoader. */
export async function relationshipsOf(
  tx: Tx,
  ciIds: readonly string[],
  types: string[],
): Promise<EdgeRow[]> {
  const res = await tx.run(
    `UNWIND $ids AS id
     MATCH (a:CI {id: id})
     CALL (a) {
       MATCH (a)-[r]->(b:CI) WHERE type(r) IN $types
       RETURN r, a.id AS from, b.id AS to
       UNION
       MATCH (b:CI)-[r]->(a) WHERE type(r) IN $types
       RETURN r, b.id AS from, a.id AS to
     }
     RETURN DISTINCT type(r) AS type, from, to, r.sources AS sources, coalesce(r.absent, false) AS absent,
            r.createdAt AS createdAt`,
    { ids: ciIds, types },
  );
  return res.records.map((r) => {
    const f = fields(r.toObject(), 'relationship');
    return { type: f.text('type'), from: f.text('from'), to: f.text('to'), sources: f.texts('sources'), absent: f.flag('absent'), createdAt: f.instantOrNull('createdAt') };
  });
}

export async function listTeams(tx: Tx): Promise<TeamRow[]> {
  const res = await tx.run('MATCH (t:Team) RETURN properties(t) AS t ORDER BY toLower(t.name)');
  return res.records.map((r) => teamRowFrom(r.get('t')));
}

/** Teams by one unique key; `key` is one of two literals, never caller text. */
async function teamsBy(tx: Tx, key: 'id' | 'name', values: readonly string[]): Promise<Map<string, TeamRow>> {
  const res = await tx.run(`UNWIND $values AS v MATCH (t:Team {${key}: v}) RETURN properties(t) AS t`, { values });
  return new Map(
    res.records.map((r) => {
      const t = teamRowFrom(r.get('t'));
      return [t[key], t];
    }),
  );
}

export function teamsByIds(tx: Tx, ids: readonly string[]): Promise<Map<string, TeamRow>> {
  return teamsBy(tx, 'id', ids);
}

/** Teams by name (names are unique): impact reports name owning teams, and a report's reader wants their contacts. */
export function teamsByNames(tx: Tx, names: readonly string[]): Promise<Map<string, TeamRow>> {
  return teamsBy(tx, 'name', names);
}

export async function teamByName(tx: Tx, name: string): Promise<TeamRow | undefined> {
  const res = await tx.run('MATCH (t:Team {name: $name}) RETURN properties(t) AS t', { name });
  const rec = res.records[0];
  return rec ? teamRowFrom(rec.get('t')) : undefined;
}
