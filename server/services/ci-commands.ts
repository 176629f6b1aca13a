// Owns every change to the configuration graph: validation against the class model, identification,
// reconciliation, then one storage write path. People's mutations (create, update, retire, relate, owner) and
// discovery batches both come through here, so history and provenance are recorded the same way for all.
import { validateAttributes } from '../domain/class-model/validate-attributes';
import type { AttributeValue, ClassModel } from '../domain/class-model/types';
import { identificationKeys, mintId } from '../domain/ci/identity';
import { reconcile } from '../domain/ci/reconcile';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Db, Tx } from '../neo4j/db';
import { cisByIds, teamByName, teamsByIds } from '../neo4j/repositories/ci-repository';
import {
  ChangeSet,
  deleteRelationship,
  findByIdentKeys,
  setOwner as storeOwner,
  upsertTeams,
  writeCis,
  writeHistory,
  writeRelationships,
  type WriteMeta,
} from '../neo4j/repositories/ci-writes';
import type { CiRow } from '../neo4j/repositories/rows';
import { ciWriteRow, flatValues } from './ci-write-row';
import { COMMON_FIELDS, inputField, type CommonValues } from '../domain/ci/common-fields';

export interface CiInput extends CommonValues {
  className: string;
  attributes?: Record<string, unknown> | null;
}

export interface Actor {
  actor: string;
  source: string;
}

function meta(a: Actor): WriteMeta {
  return { actor: a.actor, source: a.source, at: new Date().toISOString() };
}

function validated(model: ClassModel, className: string, values: Record<string, unknown>, partial: boolean) {
  const res = validateAttributes(model, className, values, { partial });
  if (!res.ok) {
    const e = res.errors[0]!;
    const field = inputField(e.field);
    throw new ValidationError(field, e.reason);
  }
  return res.value;
}

function checkClass(model: ClassModel, className: string, field = 'className'): void {
  const c = model.get(className);
  if (!c) throw new ValidationError(field, `unknown class "${className}"`);
  if (c.abstract) throw new ValidationError(field, `"${className}" is abstract; use one of ${model.descendants(className).filter((d) => !model.get(d)!.abstract).slice(0, 6).join(', ')}`);
}

export class CiCommands {
  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
  ) {}

  /** A person records a new CI. Refused as a conflict when its identification matches an existing CI. */
  async createCi(input: CiInput & { ownerTeamId?: string | null; parentId?: string | null }, who: Actor): Promise<string> {
    checkClass(this.model, input.className);
    const values = validated(
      this.model,
      input.className,
      {
        name: input.name,
        environment: input.environment ?? undefined,
        lifecycle: input.lifecycle ?? 'operational',
        criticality: input.criticality ?? undefined,
        description: input.description ?? undefined,
        ...(input.attributes ?? {}),
      },
      false,
    );
    return this.db.write(async (tx) => {
      const m = meta(who);
      if (input.ownerTeamId) await this.requireTeam(tx, input.ownerTeamId, 'ownerTeamId');
      if (input.parentId) await this.requireCi(tx, input.parentId, 'parentId');
      const keys = identificationKeys(this.model, input.className, values, input.parentId ?? undefined);
      const found = await findByIdentKeys(tx, keys.map((k) => k.key));
      for (const k of keys) {
        const ids = found.get(k.key);
        if (ids?.length) {
          const rule = this.model.identificationRules(input.className)[k.rule]!;
          throw new ConflictError(
            `a CI with the same ${rule.attributes.join(' + ')} already exists: ${ids[0]}`,
            rule.attributes[0] === 'name' ? 'name' : `attributes.${rule.attributes[0]}`,
            ids[0],
          );
        }
      }
      const id = mintId('ci');
      const provenance = Object.fromEntries(Object.keys(values).map((f) => [f, { source: who.source, at: m.at }]));
      const changes = Object.entries(values).map(([field, after]) => ({ field, before: null, after }));
      // One History entry for the creation, its parent relationship and its owner.
      const log = new ChangeSet();
      await writeCis(
        tx,
        [ciWriteRow(this.model, { id, create: true, className: input.className, all: values, set: values, provenance, changes, action: 'create', identKeys: keys.map((k) => k.key) })],
        m,
        log,
      );
      if (input.parentId) {
        const scope = this.model.identificationRules(input.className).find((r) => r.scope)?.scope;
        if (scope) await writeRelationships(tx, [{ from: id, to: input.parentId, type: scope.relationship }], m, { newCis: new Set([id]), log });
      }
      if (input.ownerTeamId) await storeOwner(tx, id, input.ownerTeamId, m, log);
      await writeHistory(tx, log, m);
      return id;
    });
  }

  /** Changes some fields of a CI; attributes set to null are removed. Unchanged values write nothing. */
  async updateCi(
    id: string,
    patch: Partial<Omit<CiInput, 'className'>>,
    who: Actor,
  ): Promise<{ changed: string[] }> {
    return this.db.write(async (tx) => {
      const row = await this.requireCi(tx, id, 'id');
      const incoming: Record<string, unknown> = {};
      for (const f of COMMON_FIELDS) if (patch[f] !== undefined) incoming[f] = patch[f];
      Object.assign(incoming, patch.attributes ?? {});
      if (incoming.lifecycle === 'retired') throw new ValidationError('lifecycle', 'use retireCi to retire a CI');
      const values = validated(this.model, row.className, incoming, true);
      const current = flatValues(row);
      const m = meta(who);
      const r = reconcile({
        current,
        currentProvenance: row.provenance,
        incoming: values,
        source: who.source,
        at: m.at,
        // A person editing by hand overrides discovery: the update is authoritative for the fields it names.
        precedence: () => [who.source],
      });
      if (!r.changes.length) return { changed: [] };
      const all = { ...current, ...r.set };
      const identKeys = identificationKeys(this.model, row.className, all).map((k) => k.key);
      await writeCis(tx, [ciWriteRow(this.model, { id, create: false, className: row.className, all, set: r.set, provenance: r.provenance, changes: r.changes, action: 'update', identKeys })], m);
      return { changed: r.changes.map((c) => c.field) };
    });
  }

  /** Retiring keeps the CI and its relationships for history; it only leaves service. */
  async retireCi(id: string, reason: string | null, who: Actor): Promise<void> {
    await this.db.write(async (tx) => {
      const row = await this.requireCi(tx, id, 'id');
      if (row.lifecycle === 'retired') return;
      const m = meta(who);
      const set = { lifecycle: 'retired', retiredAt: m.at, ...(reason ? { retiredReason: reason } : {}) } as Record<string, AttributeValue>;
      const all = { ...flatValues(row), lifecycle: 'retired' };
      const provenance = { ...row.provenance, lifecycle: { source: who.source, at: m.at } };
      await writeCis(
        tx,
        [ciWriteRow(this.model, { id, create: false, className: row.className, all, set, provenance, changes: [{ field: 'lifecycle', before: row.lifecycle, after: 'retired' }], action: 'retire', identKeys: [] })],
        m,
      );
    });
  }

  async relate(fromId: string, toId: string, type: string, who: Actor): Promise<{ created: boolean }> {
    this.checkRelationshipType(type);
    if (fromId === toId) throw new ValidationError('toId', 'a CI cannot depend on itself');
    return this.db.write(async (tx) => {
      const from = await this.requireCi(tx, fromId, 'fromId');
      const to = await this.requireCi(tx, toId, 'toId');
      if (!this.model.allowsRelationship(type, from.className, to.className)) {
        throw new ValidationError('type', `${type} is not allowed from ${from.className} to ${to.className}`);
      }
      const [res] = await writeRelationships(tx, [{ from: fromId, to: toId, type }], meta(who));
      return { created: res?.created ?? false };
    });
  }

  async unrelate(fromId: string, toId: string, type: string, who: Actor): Promise<void> {
    this.checkRelationshipType(type);
    await this.db.write(async (tx) => {
      await this.requireCi(tx, fromId, 'fromId');
      await this.requireCi(tx, toId, 'toId');
      const deleted = await deleteRelationship(tx, { from: fromId, to: toId, type }, meta(who));
      if (!deleted) throw new NotFoundError(`relationship ${fromId} -[${type}]->`, toId);
    });
  }

  async setOwner(ciId: string, teamId: string | null, who: Actor): Promise<void> {
    await this.db.write(async (tx) => {
      await this.requireCi(tx, ciId, 'ciId');
      if (teamId) await this.requireTeam(tx, teamId, 'teamId');
      await storeOwner(tx, ciId, teamId, meta(who));
    });
  }

  async createTeam(t: { name: string; email?: string | null; onCall?: string | null; slackChannel?: string | null }, who: Actor): Promise<string> {
    const name = t.name.trim();
    if (!name) throw new ValidationError('name', 'must not be empty');
    if (t.email && !/^[^@\s]+@[^@\s]+$/.test(t.email)) throw new ValidationError('email', 'is not an email address');
    return this.db.write(async (tx) => {
      if (await teamByName(tx, name)) throw new ConflictError(`a team named "${name}" already exists`, 'name');
      const ids = await upsertTeams(
        tx,
        [{ id: mintId('team'), name, email: t.email ?? null, onCall: t.onCall ?? null, slackChannel: t.slackChannel ?? null }],
        meta(who),
      );
      return ids.get(name)!;
    });
  }

  private checkRelationshipType(type: string): void {
    const def = this.model.relationship(type);
    if (!def || !def.impacting) {
      throw new ValidationError('type', `unknown relationship type "${type}" (use ${this.model.impactingTypes().join(', ')}; owners are set with setOwner)`);
    }
  }

  private async requireCi(tx: Tx, id: string, field: string): Promise<CiRow> {
    const row = (await cisByIds(tx, [id])).get(id);
    if (!row) throw new NotFoundError('CI', id, field);
    return row;
  }

  private async requireTeam(tx: Tx, id: string, field: string): Promise<void> {
    if (!(await teamsByIds(tx, [id])).has(id)) throw new NotFoundError('team', id, field);
  }
}

