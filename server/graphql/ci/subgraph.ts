// Owns traversal results: bounded subgraphs from one CI (nodes with their distance, edges among them) and
// dependency paths, and the resolver that reads a subgraph within the configured limits.
import type { ClassModel } from '../../domain/class-model/types';
import { ValidationError } from '../../errors';
import { traverse, type DependencyPath, type Subgraph } from '../../neo4j/repositories/graph-repository';
import type { EdgeRow } from '../../neo4j/repositories/rows';
import { traverseAsOf } from '../../neo4j/repositories/time-travel-repository';
import type { Builder } from '../builder';
import type { Common } from '../common';
import type { Context } from '../context';
import type { CiRef } from './refs';

export function addSubgraphTypes(builder: Builder, model: ClassModel, common: Common, CI: CiRef) {
  const { RelationshipType } = common;
  const SubgraphEdge = builder.objectRef<EdgeRow>('SubgraphEdge').implement({
    description: 'An edge of a subgraph by the ids of its ends, ready for a graph view.',
    fields: (t) => ({
      type: t.field({ type: RelationshipType, resolve: (e) => e.type as never }),
      fromId: t.id({ resolve: (e) => e.from }),
      toId: t.id({ resolve: (e) => e.to }),
      absent: t.exposeBoolean('absent', { description: 'The source that reported it no longer does.' }),
      sources: t.exposeStringList('sources'),
    }),
  });
  const SubgraphNode = builder.objectRef<Subgraph['nodes'][number]>('SubgraphNode').implement({
    fields: (t) => ({
      ci: t.field({ type: CI, resolve: (n) => n.row }),
      distance: t.exposeInt('distance', { description: 'Fewest hops from the root.' }),
      moreBeyondDepth: t.exposeBoolean('moreBeyond', { description: 'This CI, at the depth limit, has neighbours the limit left out.' }),
    }),
  });
  const SubgraphType = builder.objectRef<Subgraph>('Subgraph').implement({
    description: 'A bounded traversal from one CI: its nodes with their distance, and the edges among them.',
    fields: (t) => ({
      root: t.field({ type: CI, resolve: (s) => s.root! }),
      nodes: t.field({ type: [SubgraphNode], resolve: (s) => s.nodes }),
      edges: t.field({ type: [SubgraphEdge], resolve: (s) => s.edges }),
      truncated: t.exposeBoolean('truncated', { description: 'More CIs were reachable within `depth` than `limit`.' }),
      cutByDepth: t.exposeInt('cutByDepth', { description: 'CIs one hop past `depth` that the depth limit left out; 0 when the depth reached everything.' }),
    }),
  });
  const DependencyPathType = builder.objectRef<DependencyPath>('DependencyPath').implement({
    description: 'A chain of CIs where each needs the next.',
    fields: (t) => ({
      nodes: t.field({ type: [CI], resolve: (p) => p.nodes }),
      edges: t.field({ type: [SubgraphEdge], resolve: (p) => p.edges }),
      length: t.int({ resolve: (p) => p.edges.length }),
    }),
  });

  async function subgraph(
    ctx: Context,
    id: string,
    direction: 'DEPENDENCIES' | 'DEPENDENTS',
    a: { depth?: number | null; types?: readonly string[] | null; classes?: readonly string[] | null; limit?: number | null },
    /** The past instant of the CI the walk starts from; the walk reads the graph as it was then. */
    asOf?: string,
  ): Promise<Subgraph> {
    const limit = a.limit ?? 500;
    if (limit < 1 || limit > 5000) throw new ValidationError('limit', 'must be between 1 and 5000');
    const args = {
      rootId: id,
      direction,
      depth: a.depth ?? 3,
      types: a.types?.length ? [...a.types] : model.impactingTypes(),
      classes: a.classes ? [...a.classes] : [],
      limit,
    };
    const max = ctx.limits.maxTraversalDepth;
    return ctx.db.read((tx) => (asOf ? traverseAsOf(tx, model, args, max, Date.parse(asOf)) : traverse(tx, model, args, max)));
  }

  return { SubgraphType, DependencyPathType, subgraph };
}
