// Messages between the page and the layout worker. Positions travel as one transferable Float64Array.

export type LayoutKind = 'layered' | 'cose' | 'concentric' | 'breadthfirst' | 'grid';

export interface LayoutRequest {
  seq: number;
  kind: LayoutKind;
  ids: string[];
  /** Per node (same order as ids), for 'layered'. */
  ranks?: number[];
  keys?: string[];
  /** Pairs of indices into ids: source, target. */
  edges: Uint32Array;
  /** For 'layered': body width and height per node; given, ELK places the rows and routes the edges round nodes. */
  sizes?: Float64Array;
}

export interface LayoutResponse {
  seq: number;
  /** x, y per node in the order of the request's ids. */
  positions: Float64Array;
  ms: number;
  /** Per edge of the request (when sizes were given and ELK ran): the route's points, x, y flattened. */
  routes?: Float64Array[];
  error?: string;
}
