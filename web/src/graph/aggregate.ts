// Sibling aggregation: a node's neighbours of one class beyond a threshold are drawn as one group node
// ("42 × KubernetesPod") that expands on demand, which keeps the element count (and frame time) low.
import type { CiSummary, RelType } from './model';

export const GROUP_THRESHOLD = 25;

export interface Neighbour {
  ci: CiSummary;
  type: RelType;
  /** OUT: the anchor needs this CI; IN: this CI needs the anchor. */
  direction: 'IN' | 'OUT';
  absent?: boolean;
}

export interface SiblingGroup {
  id: string;
  anchorId: string;
  className: string;
  type: RelType;
  direction: 'IN' | 'OUT';
  members: Neighbour[];
}

export function groupId(anchorId: string, className: string): string {
  return `group:${anchorId}:${className}`;
}

/** Splits neighbours into those drawn one by one and groups of more than `threshold` of one class. */
export function aggregateSiblings(anchorId: string, neighbours: Neighbour[], threshold = GROUP_THRESHOLD): { singles: Neighbour[]; groups: SiblingGroup[] } {
  const byClass = new Map<string, Neighbour[]>();
  for (const n of neighbours) (byClass.get(n.ci.className) ?? byClass.set(n.ci.className, []).get(n.ci.className)!).push(n);
  const singles: Neighbour[] = [];
  const groups: SiblingGroup[] = [];
  for (const [className, list] of byClass) {
    if (list.length > threshold) {
      const first = list[0]!;
      groups.push({ id: groupId(anchorId, className), anchorId, className, type: first.type, direction: first.direction, members: list });
    } else singles.push(...list);
  }
  return { singles, groups };
}
