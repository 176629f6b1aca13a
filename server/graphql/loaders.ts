// Owns the per-request DataLoaders: every list of CIs resolves its owners, relationships and history in one
// Cypher query per field, whatever the page size (no N+1).
import DataLoader from 'dataloader';
import type { ClassModel } from '../domain/class-model/types';
import type { Db } from '../neo4j/db';
import { cisByIds, ownersOf, relationshipsOf, teamsByIds, teamsByNames } from '../neo4j/repositories/ci-repository';
import { historyOf, type HistoryRow } from '../neo4j/repositories/ci-writes';
import type { CiRow, EdgeRow, TeamRow } from '../neo4j/repositories/rows';
import { incidentsByIds, type IncidentRecord } from '../neo4j/repositories/itsm-repository';

export interface Loaders {
  ci: DataLoader<string, CiRow | null>;
  team: DataLoader<string, TeamRow | null>;
  teamByName: DataLoader<string, TeamRow | null>;
  owner: DataLoader<string, TeamRow | null>;
  relationships: DataLoader<string, EdgeRow[]>;
  history: DataLoader<string, HistoryRow[]>;
  /** Incidents by id: a service-level report names each incident that consumed budget, often many per page. */
  incident: DataLoader<string, IncidentRecord | null>;
}

export function createLoaders(db: Db, model: ClassModel): Loaders {
  const impacting = model.impactingTypes();
  return {
    ci: new DataLoader(async (ids) => {
      const rows = await db.read((tx) => cisByIds(tx, ids));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    team: new DataLoader(async (ids) => {
      const rows = await db.read((tx) => teamsByIds(tx, ids));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    teamByName: new DataLoader(async (names) => {
      const rows = await db.read((tx) => teamsByNames(tx, names));
      return names.map((name) => rows.get(name) ?? null);
    }),
    owner: new DataLoader(async (ids) => {
      const rows = await db.read((tx) => ownersOf(tx, ids));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    relationships: new DataLoader(async (ids) => {
      const edges = await db.read((tx) => relationshipsOf(tx, ids, impacting));
      const by = new Map<string, EdgeRow[]>(ids.map((id) => [id, []]));
      for (const e of edges) {
        by.get(e.from)?.push(e);
        if (e.to !== e.from) by.get(e.to)?.push(e);
      }
      return ids.map((id) => by.get(id)!);
    }),
    history: new DataLoader(async (ids) => {
      const rows = await db.read((tx) => historyOf(tx, ids, 50));
      return ids.map((id) => rows.get(id) ?? []);
    }),
    incident: new DataLoader(async (ids) => {
      const rows = await db.read((tx) => incidentsByIds(tx, ids));
      return ids.map((id) => rows.get(id) ?? null);
    }),
  };
}
