// Shared by the discovery integration tests: discovery-run mutations, the typed upsertCis call (from ci-fixtures),
// reads of one CI's discovery state, and clean-up of runs, conflicts and keys tagged with the key.
import { deleteTagged, ERROR_FIELDS, type TypedError } from './ci-fixtures';
import type { TestRipple } from './ripple';

export interface Run {
  id: string;
  source: string;
  status: 'RUNNING' | 'COMPLETED' | 'ABANDONED';
  markedStale: number;
  markedAbsent: number;
  completedAt: string | null;
}

const RUN_FIELDS = 'id source status markedStale markedAbsent completedAt';

export type RunResult = ({ __typename: string } & { data: Run }) | TypedError;

async function runMutation(app: TestRipple, op: 'startDiscoveryRun' | 'completeDiscoveryRun' | 'abandonDiscoveryRun', arg: Record<string, string>): Promise<RunResult> {
  const [name, type] = op === 'startDiscoveryRun' ? ['source', 'String!'] : ['id', 'ID!'];
  const success = `Mutation${op[0]!.toUpperCase()}${op.slice(1)}Success`;
  const r = await app.data<Record<string, RunResult>>(
    `mutation ($v: ${type}) { ${op}(${name}: $v) { __typename ... on ${success} { data { ${RUN_FIELDS} } } ${ERROR_FIELDS} } }`,
    { v: arg[name] },
  );
  return r[op]!;
}

export const startRunRaw = (app: TestRipple, source: string) => runMutation(app, 'startDiscoveryRun', { source });
export const completeRunRaw = (app: TestRipple, id: string) => runMutation(app, 'completeDiscoveryRun', { id });
export const abandonRunRaw = (app: TestRipple, id: string) => runMutation(app, 'abandonDiscoveryRun', { id });

function ok(r: RunResult): Run {
  if (!('data' in r)) throw new Error(`discovery run mutation failed: ${JSON.stringify(r)}`);
  return r.data;
}
export const startRun = async (app: TestRipple, source: string) => ok(await startRunRaw(app, source));
export const completeRun = async (app: TestRipple, id: string) => ok(await completeRunRaw(app, id));
export const abandonRun = async (app: TestRipple, id: string) => ok(await abandonRunRaw(app, id));

export async function getRun(app: TestRipple, id: string): Promise<Run | null> {
  const r = await app.data<{ discoveryRun: Run | null }>(`query ($id: ID!) { discoveryRun(id: $id) { ${RUN_FIELDS} } }`, { id });
  return r.discoveryRun;
}

// Batches go through the same typed upsertCis call as the CI tests'.
export { upsert as send, upsertRaw as sendRaw, idsByRef as refs } from './ci-fixtures';
export type { CiOutcome as Outcome, UpsertPayload as Payload } from './ci-fixtures';

export interface CiState {
  id: string;
  name: string;
  stale: boolean;
  updatedAt: string;
  sources: string[];
  attributes: Record<string, unknown>;
  provenance: { field: string; source: string }[];
  history: { action: string; source: string; at: string }[];
  relationships: { type: string; absent: boolean; sources: string[]; from: { id: string }; to: { id: string } }[];
}

export async function ciState(app: TestRipple, id: string): Promise<CiState | null> {
  const r = await app.data<{ ci: CiState | null }>(
    `query ($id: ID!) { ci(id: $id) { id name stale updatedAt sources attributes provenance { field source }
       history(first: 100) { action source at }
       relationships(direction: BOTH) { type absent sources from { id } to { id } } } }`,
    { id },
  );
  return r.ci;
}

/** Removes what deleteTagged does, plus discovery runs, duplicate conflicts and identification keys carrying the key. */
export async function deleteDiscoveryTagged(app: TestRipple): Promise<void> {
  await deleteTagged(app);
  const key = app.key;
  await app.db.write(async (tx) => {
    await tx.run('MATCH (r:DiscoveryRun) WHERE r.source CONTAINS $key OR r.scope CONTAINS $key DETACH DELETE r', { key });
    await tx.run('MATCH (d:DuplicateConflict) WHERE d.source CONTAINS $key OR d.key CONTAINS $key DETACH DELETE d', { key });
    await tx.run('MATCH (ik:IdentKey) WHERE ik.key CONTAINS $key AND NOT EXISTS { (ik)-[:IDENTIFIES]->(:CI) } DELETE ik', { key });
  });
}
