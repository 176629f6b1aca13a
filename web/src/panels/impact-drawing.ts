// Owns drawing an impact from the server's aggregated picture (impactDrawing): one bounded request whatever the
// estate's size, groups by distance, class and state with the edges between them, rings by distance; opening a
// group asks again with it open.
import { ImpactDrawingQuery } from '../api/queries';
import { api } from '../api/session';
import type { Explorer, SubgraphEdgeIn, SubgraphNodeIn } from '../graph/explorer';

/** CIs drawn one by one before the rest are grouped: about what stays readable and smooth (G10). */
const BUDGET = 150;

type Failed = { id: string; state: 'DOWN' | 'DEGRADED' };
type Drawing = NonNullable<Awaited<ReturnType<typeof fetchDrawing>>>;

async function fetchDrawing(failed: Failed[], expand: string[]) {
  const r = await api(ImpactDrawingQuery, { failed, budget: BUDGET, expand });
  if (r.errors?.length || !r.data) throw new Error(r.errors?.map((e) => e.message).join('; ') ?? 'no drawing');
  return r.data.drawing;
}

/** The drawing as the explorer's layered input: a CI at rank -distance (failed ones FAILED), a group by its key. */
export function drawingInput(d: Drawing): { nodes: SubgraphNodeIn[]; edges: SubgraphEdgeIn[] } {
  const nodes = d.nodes.map((n): SubgraphNodeIn => {
    const i = n.impacted;
    if (n.isGroup || !i) return { ci: { id: n.key, name: `${n.count} × ${n.className}`, className: n.className }, rank: -n.distance, state: n.state, count: n.count };
    return { ci: i.ci ?? { id: i.id, name: i.name, className: i.className }, rank: -i.distance, state: i.failed ? 'FAILED' : i.state };
  });
  const edges = d.edges.map((e) => ({ type: e.type, fromId: e.from, toId: e.to, count: e.count }));
  return { nodes, edges };
}

/**
 * Draws what `failed` takes down as rings; returns the names of the CIs drawn one by one. A group the user opens
 * is asked for again with every group opened so far, so the picture stays one answer of the server.
 */
export async function drawImpactPicture(explorer: Explorer, failed: Failed[], status: (msg: string) => void): Promise<Map<string, string>> {
  const remote = () => [...explorer.expandedGroups].filter((g) => g.startsWith('group:d'));
  const draw = async (): Promise<Drawing> => {
    const d = await fetchDrawing(failed, remote());
    const { nodes, edges } = drawingInput(d);
    explorer.rootId = null;
    await explorer.drawLayered(nodes, edges, true, async () => {
      const again = await draw();
      if (again.tooLargeToExpand.length) status(`Too many CIs to draw one by one in ${again.tooLargeToExpand.length} group(s); they stay grouped.`);
    });
    return d;
  };
  const d = await draw();
  return new Map(d.nodes.flatMap((n) => (n.impacted ? [[n.impacted.id, n.impacted.name] as const] : [])));
}
