// A seeded, layered CMDB-like DAG for the graph benchmark: business services, application services,
// microservices, data stores, Kubernetes nodes and VMs, hosts; edges point from a layer to the ones below.
import type { ElementDefinition } from 'cytoscape';
import { nodeLabel } from '../graph/model';

const LAYERS = [
  { share: 0.02, className: 'BusinessService', family: 'service', type: 'DEPENDS_ON' },
  { share: 0.06, className: 'ApplicationService', family: 'service', type: 'DEPENDS_ON' },
  { share: 0.3, className: 'Microservice', family: 'software', type: 'RUNS_ON' },
  { share: 0.12, className: 'Database', family: 'data', type: 'RUNS_ON' },
  { share: 0.3, className: 'KubernetesPod', family: 'kubernetes', type: 'HOSTED_ON' },
  { share: 0.15, className: 'VirtualMachine', family: 'virtual', type: 'HOSTED_ON' },
  { share: 0.05, className: 'Hypervisor', family: 'hardware', type: 'CONNECTS_TO' },
] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generateGraph(nodeCount: number, edgeCount: number, seed = 42): { elements: ElementDefinition[]; ranks: Map<string, number> } {
  const rand = rng(seed);
  const layers: string[][] = LAYERS.map(() => []);
  const elements: ElementDefinition[] = [];
  const ranks = new Map<string, number>();
  let made = 0;
  LAYERS.forEach((l, r) => {
    const count = r === LAYERS.length - 1 ? nodeCount - made : Math.max(1, Math.round(nodeCount * l.share));
    for (let i = 0; i < count; i++) {
      const id = `n${made}`;
      layers[r]!.push(id);
      ranks.set(id, r);
      const name = `${l.className.toLowerCase()}-${i}`;
      elements.push({ group: 'nodes', data: { id, name, className: l.className, family: l.family, environment: 'PRODUCTION', label: nodeLabel(name, l.className) }, position: { x: (made % 60) * 150, y: Math.floor(made / 60) * 130 } });
      made++;
    }
  });
  const seen = new Set<string>();
  let tries = 0;
  while (seen.size < edgeCount && tries++ < edgeCount * 20) {
    const r = Math.floor(rand() * (LAYERS.length - 1));
    // Mostly to the next layer, sometimes skipping one, as services reach data stores directly.
    const down = r + 2 < LAYERS.length && rand() < 0.15 ? 2 : 1;
    const from = layers[r]![Math.floor(rand() * layers[r]!.length)]!;
    const to = layers[r + down]![Math.floor(rand() * layers[r + down]!.length)]!;
    const id = `${from}|${to}`;
    if (seen.has(id)) continue;
    seen.add(id);
    elements.push({ group: 'edges', data: { id, source: from, target: to, type: LAYERS[r]!.type } });
  }
  return { elements, ranks };
}
