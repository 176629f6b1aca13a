// Owns the impact drawing: the aggregated picture of what failed CIs take down, at a size a graph view can draw
// (groups by distance, class and state, the edges between them with counts, the nearest CIs one by one).
import type { DrawnEdge, DrawnNode, ImpactDrawing } from '../../domain/impact/drawing';
import { ValidationError } from '../../errors';
import type { Builder } from '../builder';
import { needs } from '../auth-scopes';
import { ASSESSMENT_COST } from '../cost';
import type { addImpactReportTypes } from './report';

/** As the web view groups a neighbourhood (web/src/graph/aggregate.ts): more of one kind than this is a group. */
const GROUP_OVER = 25;
const MAX_BUDGET = 500;
const MAX_EXPAND = 50;
/** A group opened on request is drawn one by one up to this many CIs. */
const MAX_EXPANDED = 500;
const MAX_EDGES = 2000;

export function addImpactDrawingTypes(builder: Builder, report: ReturnType<typeof addImpactReportTypes>) {
  const { ImpactState, ImpactedCiType, FailedCiInput } = report;
  const Node = builder.objectRef<DrawnNode>('ImpactDrawingNode').implement({
    description: 'One impacted CI drawn by itself, or a group of impacted CIs of one distance, class and state.',
    fields: (t) => ({
      key: t.id({ description: 'The CI id, or the group key to pass in `expand`.', resolve: (n) => n.key }),
      isGroup: t.boolean({ resolve: (n) => n.kind === 'GROUP' }),
      count: t.int({ description: 'CIs it stands for (1 for a CI).', resolve: (n) => (n.kind === 'GROUP' ? n.count : 1) }),
      className: t.string({ resolve: (n) => (n.kind === 'GROUP' ? n.className : n.ci.className) }),
      state: t.field({ type: ImpactState, resolve: (n) => (n.kind === 'GROUP' ? n.state : n.ci.state) }),
      distance: t.int({ resolve: (n) => (n.kind === 'GROUP' ? n.distance : n.ci.distance) }),
      impacted: t.field({ type: ImpactedCiType, nullable: true, description: 'The CI, when drawn by itself.', resolve: (n) => (n.kind === 'CI' ? n.ci : null) }),
    }),
  });
  const Edge = builder.objectRef<DrawnEdge>('ImpactDrawingEdge').implement({
    description: 'Impacting relationships from one drawn node to another: `from` needs `to`.',
    fields: (t) => ({
      from: t.id({ resolve: (e) => e.from }),
      to: t.id({ resolve: (e) => e.to }),
      type: t.exposeString('type'),
      count: t.exposeInt('count', { description: 'Relationships this edge stands for.' }),
    }),
  });
  const Drawing = builder.objectRef<ImpactDrawing>('ImpactDrawing').implement({
    fields: (t) => ({
      nodes: t.field({ type: [Node], resolve: (d) => d.nodes }),
      edges: t.field({ type: [Edge], description: 'Most numerous first.', resolve: (d) => d.edges }),
      edgesLeftOut: t.exposeInt('edgesLeftOut', { description: `Edges between drawn nodes beyond the ${MAX_EDGES} drawn (the least numerous).` }),
      tooLargeToExpand: t.idList({ description: `Groups asked to open that hold more than ${MAX_EXPANDED} CIs; they stay groups.`, resolve: (d) => d.tooLargeToExpand }),
    }),
  });

  builder.queryFields((t) => ({
    impactDrawing: t.field({
      ...needs('viewer'),
      type: Drawing,
      description: 'What failed CIs take down, aggregated to a size a graph view draws: the picture `impactAnalysis` lists.',
      complexity: ASSESSMENT_COST,
      args: {
        failed: t.arg({ type: [FailedCiInput], required: true }),
        budget: t.arg.int({ defaultValue: 150, description: `CIs drawn one by one at most, from 1 to ${MAX_BUDGET}; the rest are grouped.` }),
        expand: t.arg.idList({ required: false, description: `Group keys to draw one by one (at most ${MAX_EXPAND}).` }),
      },
      resolve: (_r, a, ctx) => {
        const budget = a.budget ?? 150;
        if (!Number.isInteger(budget) || budget < 1 || budget > MAX_BUDGET) throw new ValidationError('budget', `must be an integer from 1 to ${MAX_BUDGET}`);
        const expand = (a.expand ?? []).map(String);
        if (expand.length > MAX_EXPAND) throw new ValidationError('expand', `name at most ${MAX_EXPAND} groups`);
        return ctx.impact.drawing(a.failed.map((f) => ({ id: String(f.id), state: f.state ?? 'DOWN' })), {
          budget, groupOver: GROUP_OVER, expand: [...new Set(expand)].sort(), maxExpanded: MAX_EXPANDED, maxEdges: MAX_EDGES,
        });
      },
    }),
  }));
}
