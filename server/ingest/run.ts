// Owns an importer's discovery run through Ripple's public API: start one for the source (and scope), and after
// the last batch complete it, so what the source no longer reports becomes stale or absent; abandon it when
// sending failed part-way, so a half-sent import marks nothing.
import { graphql, request } from '../../client/graphql';
import { IngestError } from './send';

const START = graphql(`
  mutation StartImporterRun($source: String!, $scope: String) {
    startDiscoveryRun(source: $source, scope: $scope) {
      __typename
      ... on MutationStartDiscoveryRunSuccess { data { id scope markedStale markedAbsent } }
      ... on Error { message }
    }
  }
`);

const COMPLETE = graphql(`
  mutation CompleteImporterRun($id: ID!) {
    completeDiscoveryRun(id: $id) {
      __typename
      ... on MutationCompleteDiscoveryRunSuccess { data { id scope markedStale markedAbsent } }
      ... on Error { message }
    }
  }
`);

const ABANDON = graphql(`
  mutation AbandonImporterRun($id: ID!) {
    abandonDiscoveryRun(id: $id) { __typename }
  }
`);

export interface ImporterRun {
  id: string;
  scope: string;
  markedStale: number;
  markedAbsent: number;
}

interface Target {
  url: string;
  token?: string;
}

const headersOf = (t: Target): Record<string, string> => (t.token ? { authorization: `Bearer ${t.token}` } : {});

async function call<R>(what: string, t: Target, run: () => Promise<{ data?: R; errors?: { message: string }[] }>): Promise<R> {
  const body = await run().catch((e: unknown) => {
    throw new IngestError(`cannot reach Ripple at ${t.url}: ${(e as Error).message}`);
  });
  if (body.errors?.length || !body.data) throw new IngestError(`Ripple refused to ${what}: ${body.errors?.[0]?.message ?? 'no data'}`);
  return body.data;
}

function runOf(r: { __typename: string; data?: unknown; message?: string }, what: string): ImporterRun {
  if (r.data) return r.data as ImporterRun;
  throw new IngestError(`Ripple refused to ${what}: ${r.message ?? r.__typename}`);
}

export async function startRun(t: Target, source: string, scope: string): Promise<ImporterRun> {
  const d = await call('start a discovery run', t, () => request(t.url, START, { source, scope }, headersOf(t)));
  return runOf(d.startDiscoveryRun, 'start a discovery run');
}

export async function completeRun(t: Target, id: string): Promise<ImporterRun> {
  const d = await call('complete the discovery run', t, () => request(t.url, COMPLETE, { id }, headersOf(t)));
  return runOf(d.completeDiscoveryRun, 'complete the discovery run');
}

/** Best effort: the run is left RUNNING (and marks nothing) when even this fails. */
export async function abandonRun(t: Target, id: string): Promise<void> {
  await request(t.url, ABANDON, { id }, headersOf(t)).catch(() => undefined);
}
