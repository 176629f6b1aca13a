// Owns the Cypher behind impact analysis: the upstream subgraph of a set of CIs in ONE query (pruning BFS over
// the impacting types, never path enumeration), with every member of each group it reaches (healthy members
// included, or a 3-node cluster that lost one node would look like "1 of 1 lost"; retired members are not
// members any more), and the needs-direction
// subgraph used to rank shared root causes.
import neo4j from 'neo4j-driver';
import type { ClassModel } from '../../domain/class-model/types';
import { tryParseRedundancy } from '../../domain/class-model/validate-attributes';
import type { ImpactEdge, ImpactGraph, ImpactNode } from '../../domain/impact/types';
import type { Tx } from '../db';
import { typePattern } from './graph-repository';

interface RawNode {
  id: string;
  name: string;
  class: string;
  criticality: number | null;
  environment: string | null;
  stale: boolean | null;
  redundancy: string | null;
  owners: string[];
  out: { to: string; type: string; absent: boolean | null }[];
}

function toGraph(model: ClassModel, raw: RawNode[], keepEdge: (from: string, to: string, type: string, inside: Set<string>) => boolean): ImpactGraph {
  const inside = new Set(raw.map((n) => n.id));
  const serviceKind = (c: string): ImpactNode['serviceKind'] =>
    model.isA(c, 'BusinessService') ? 'business' : model.isA(c, 'ApplicationService') ? 'application' : model.isA(c, 'TechnicalService') ? 'technical' : undefined;
  const nodes: ImpactNode[] = raw.map((n) => {
    const kind = serviceKind(n.class);
    const redundancy = n.redundancy ? tryParseRedundancy(n.redundancy) : undefined;
    return {
      id: n.id,
      name: n.name,
      className: n.class,
      isService: model.isA(n.class, 'Service'),
      ...(kind ? { serviceKind: kind } : {}),
      criticality: n.criticality ?? 4,
      ...(n.environment ? { environment: n.environment } : {}),
      stale: n.stale === true,
      ownerTeams: n.owners,
      ...(redundancy ? { redundancy } : {}),
    };
  });
  const edges: ImpactEdge[] = [];
  for (const n of raw) {
    for (const o of n.out) {
      if (keepEdge(n.id, o.to, o.type, inside)) edges.push({ from: n.id, to: o.to, type: o.type, absent: o.absent === true });
    }
  }
  return { nodes, edges };
}

const NODE_FIELDS = `{ id: a.id, name: a.name, class: a.class, criticality: a.criticality, environment: a.environment,
  stale: a.stale, redundancy: a.redundancy,
  owners: [(a)-[:OWNED_BY]->(t:Team) | t.name],
  out: [(a)-[r]->(b:CI) WHERE type(r) IN $types AND coalesce(b.lifecycle, '') <> 'retired' |
        { to: b.id, type: type(r), absent: r.absent }] }`;

/**
 * Everything that needs any of `ids`, transitively, up to `maxDepth` hops, plus the members of the groups among
 * them. Retired CIs are left out: they no longer serve anything.
 */
export async function upstreamOf(tx: Tx, model: ClassModel, ids: string[], maxDepth: number): Promise<ImpactGraph> {
  const types = model.impactingTypes();
  const pattern = typePattern(model, types);
  const res = await tx.run(
    `MATCH (f:CI) WHERE f.id IN $ids
     OPTIONAL MATCH (f)<-[:${pattern}*1..${maxDepth}]-(n:CI)
     WHERE coalesce(n.lifecycle, '') <> 'retired'
     WITH collect(DISTINCT f) AS failed, collect(DISTINCT n) AS reached
     UNWIND failed + reached AS a
     WITH DISTINCT a
     RETURN ${NODE_FIELDS} AS node`,
    { ids, types },
  );
  const raw = res.records.map((r) => r.get('node') as RawNode);
  // Edges among reached CIs carry impact; HAS_MEMBER edges to members outside the set still count the group's
  // healthy members.
  return toGraph(model, raw, (_from, to, type, inside) => inside.has(to) || type === 'HAS_MEMBER');
}

/** What the given CIs need, transitively: the candidates a shared root cause is looked for among. */
export async function downstreamOf(tx: Tx, model: ClassModel, ids: string[], maxDepth: number): Promise<ImpactGraph> {
  const types = model.impactingTypes();
  const pattern = typePattern(model, types);
  const res = await tx.run(
    `MATCH (f:CI) WHERE f.id IN $ids
     OPTIONAL MATCH (f)-[:${pattern}*1..${maxDepth}]->(n:CI)
     WITH collect(DISTINCT f) AS failed, collect(DISTINCT n) AS reached
     UNWIND failed + reached AS a
     WITH DISTINCT a
     RETURN ${NODE_FIELDS} AS node`,
    { ids, types },
  );
  const raw = res.records.map((r) => r.get('node') as RawNode);
  return toGraph(model, raw, (_from, to, _type, inside) => inside.has(to));
}

export const asInt = (n: number) => neo4j.int(n);
