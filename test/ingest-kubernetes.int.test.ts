// The Kubernetes manifests importer end to end: the real CLI as a child process against an in-process Ripple, on
// the Online Boutique release manifest as published, into clusters named after this file's isolation key.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/process';
import { sharedData } from './helpers/shared-data';
import { deleteDiscoveryTagged } from './helpers/discovery-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

const MANIFEST = sharedData('kubernetes', 'online-boutique', 'kubernetes-manifests.yaml');

let app: TestRipple;
let cluster: string;

function cli(...args: string[]): Promise<CliResult> {
  return runCli('server/ingest/kubernetes/cli.ts', ['--url', app.url, '--quiet', ...args]);
}

interface CiNode {
  id: string;
  name: string;
  className: string;
  environment: string | null;
  attributes: Record<string, unknown>;
  relationships: { type: string; to: { name: string; className: string } }[];
}

async function cisNamed(part: string): Promise<CiNode[]> {
  const d = await app.data<{ cis: { nodes: CiNode[] } }>(
    `query($k: String!) { cis(first: 500, filter: { nameContains: $k }) {
       nodes { id name className environment attributes relationships(direction: OUT) { type to { name className } } } } }`,
    { k: part },
  );
  return d.cis.nodes.filter((n) => n.name.includes(app.key));
}

beforeAll(async () => {
  app = await startTestRipple();
  cluster = `${app.key}-prod`;
});

afterAll(async () => {
  if (!app) return;
  await deleteDiscoveryTagged(app);
  await app.close();
});

describe('kubernetes manifests importer CLI', () => {
  let first: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    first = await cli('--cluster', cluster, '--environment', 'production', MANIFEST);
  });

  it('imports the Online Boutique manifest: 12 workloads, 12 Services, 1 namespace, nothing rejected', () => {
    expect(first.stderr).not.toMatch(/Error|cannot reach/);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain(`cluster ${cluster}: 1 namespaces, 12 workloads, 12 services`);
    expect(first.stdout).toMatch(/DEPENDS_ON: 28\n/);
    expect(first.stdout).toMatch(/CIs: +26 created, 0 updated, 0 unchanged, 0 rejected/);
    expect(first.stdout).toMatch(/relationships: 53 created, 0 unchanged, 0 rejected/);
  });

  it('says what it did not import: the ServiceAccounts, and the shopping assistant Service frontend names', () => {
    expect(first.stdout).toMatch(/Not imported \(2\):\n {2}skipped 11 ServiceAccount objects/);
    expect(first.stdout).toMatch(/Deployment default\/frontend: env SHOPPING_ASSISTANT_SERVICE_ADDR=shoppingassistantservice:80/);
  });

  it('makes the frontend workload depend on the productcatalogservice Service, which depends on its Deployment', async () => {
    const cis = await cisNamed(cluster);
    const get = (cls: string, name: string) => cis.find((c) => c.className === cls && c.name === `${cluster}/default/${name}`);
    const frontend = get('KubernetesWorkload', 'frontend');
    expect(frontend?.attributes).toMatchObject({ kind: 'Deployment', workloadName: 'frontend', namespace: 'default', replicas: 1 });
    expect(frontend?.environment).toBe('PRODUCTION');
    const deps = frontend!.relationships.filter((r) => r.type === 'DEPENDS_ON').map((r) => `${r.to.className} ${r.to.name}`);
    expect(deps).toContain(`KubernetesService ${cluster}/default/productcatalogservice`);
    expect(deps).toHaveLength(7);
    expect(frontend!.relationships).toContainEqual({ type: 'RUNS_ON', to: { name: cluster, className: 'KubernetesCluster' } });
    const catalog = get('KubernetesService', 'productcatalogservice');
    expect(catalog?.attributes).toMatchObject({ serviceType: 'ClusterIP', ports: ['3550/TCP'] });
    expect(catalog!.relationships.filter((r) => r.type === 'DEPENDS_ON')).toEqual([
      { type: 'DEPENDS_ON', to: { name: `${cluster}/default/productcatalogservice`, className: 'KubernetesWorkload' } },
    ]);
    const needs = (n: string) => get('KubernetesWorkload', n)!.relationships.filter((r) => r.type === 'DEPENDS_ON').map((r) => r.to.name);
    expect(needs('cartservice')).toEqual([`${cluster}/default/redis-cart`]);
    expect(needs('checkoutservice')).toContain(`${cluster}/default/paymentservice`);
  });

  it('changes nothing when the same manifest is imported again', async () => {
    const again = await cli('--cluster', cluster, '--environment', 'production', MANIFEST);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/CIs: +0 created, 0 updated, 26 unchanged, 0 rejected/);
    expect(again.stdout).toMatch(/relationships: 0 created, 53 unchanged, 0 rejected/);
  });

  it('writes nothing on --dry-run into a new cluster, yet reports what it would create', async () => {
    const dry = `${app.key}-dry`;
    const r = await cli('--cluster', dry, '--dry-run', MANIFEST);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/DRY RUN/);
    expect(r.stdout).toMatch(/CIs: +26 created, 0 updated, 0 unchanged, 0 rejected/);
    expect(await cisNamed(dry)).toEqual([]);
  });

  it('dry-runs in many small batches with the same outcome as one, naming the CIs it would create as planned', async () => {
    const dry = `${app.key}-dry-chunks`;
    // Relationships in later batches name CIs that earlier batches only planned: they are not rejected.
    const r = await cli('--cluster', dry, '--dry-run', '--batch-size', '5', MANIFEST);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/CIs: +26 created, 0 updated, 0 unchanged, 0 rejected/);
    expect(r.stdout).toMatch(/relationships: 53 created, 0 unchanged, 0 rejected/);
    expect(r.stdout).not.toMatch(/rejected .*not found/);
    expect(await cisNamed(dry)).toEqual([]);
  });

  it('reports a YAML error by file and line and still imports the other documents', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ripple-k8s-'));
    try {
      await writeFile(
        join(dir, 'broken.yaml'),
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\nspec:\n  ports: [{port: 80}]\n---\n' +
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\n labels: {}\n---\n---\nkind: Service\nmetadata: {name: b}\n',
      );
      const r = await cli('--cluster', `${app.key}-broken`, dir);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/YAML errors \(1\):\n {2}\S*broken\.yaml:12: All mapping items must start at the same column \(this document was skipped\)\n/);
      expect(r.stdout).toMatch(/CIs: +4 created, 0 updated, 0 unchanged, 0 rejected/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('kubernetes importer inside a discovery run', () => {
  interface Seen {
    name: string;
    className: string;
    stale: boolean;
    relationships: { type: string; absent: boolean; from: { name: string }; to: { name: string } }[];
  }
  const seen = async (part: string) =>
    (
      await app.data<{ cis: { nodes: Seen[] } }>(
        `query($k: String!) { cis(first: 500, filter: { nameContains: $k }) {
           nodes { name className stale relationships(direction: BOTH) { type absent from { name } to { name } } } } }`,
        { k: part },
      )
    ).cis.nodes;
  /** The manifest without the adservice Deployment (its Service stays), as if someone deleted it from the cluster. */
  const withoutAdservice = async (dir: string) => {
    const docs = (await readFile(MANIFEST, 'utf8')).split(/^---$/m);
    const kept = docs.filter((d) => !(/^kind: Deployment$/m.test(d) && /^ {2}name: adservice$/m.test(d)));
    expect(kept).toHaveLength(docs.length - 1);
    const file = join(dir, 'boutique-without-adservice.yaml');
    await writeFile(file, kept.join('---'));
    return file;
  };

  it('marks the workload of a Deployment removed from the manifests stale and its relationships absent, and nothing else', async () => {
    const runs = `${app.key}-runs`;
    const first = await cli('--cluster', runs, MANIFEST);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/discovery run run_\S+ \(cluster:\S+-runs\): 0 CIs no longer reported marked stale, 0 relationships marked absent/);

    const dir = await mkdtemp(join(tmpdir(), 'ripple-k8s-run-'));
    try {
      const second = await cli('--cluster', runs, await withoutAdservice(dir));
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(second.stdout).toMatch(/CIs: +0 created, 0 updated, 25 unchanged, 0 rejected/);
      expect(second.stdout).toMatch(/1 CIs no longer reported marked stale, [1-9]\d* relationships marked absent/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const cis = await seen(`${runs}/`);
    const workload = `${runs}/default/adservice`;
    const gone = cis.find((c) => c.className === 'KubernetesWorkload' && c.name === workload)!;
    expect(gone.stale).toBe(true);
    expect(gone.relationships.length).toBeGreaterThan(0);
    for (const r of gone.relationships) expect(r.absent, `${r.from.name} ${r.type} ${r.to.name}`).toBe(true);
    // The adservice Service the manifests still declare is fresh; only its edge to the gone workload is absent.
    const svc = cis.find((c) => c.className === 'KubernetesService' && c.name === workload)!;
    expect(svc.stale).toBe(false);
    expect(svc.relationships.find((r) => r.to.name === workload)?.absent).toBe(true);
    expect(cis.filter((c) => c.stale).map((c) => c.name)).toEqual([workload]);
    const absentElsewhere = cis.flatMap((c) => c.relationships).filter((r) => r.absent && r.from.name !== workload && r.to.name !== workload);
    expect(absentElsewhere).toEqual([]);
  });

  it('keeps another cluster of the same source fresh: each cluster is its own run', async () => {
    const other = await seen(`${cluster}/`);
    expect(other.length).toBeGreaterThan(0);
    expect(other.filter((c) => c.stale)).toEqual([]);
  });

  it('marks nothing with --no-run, even when the manifests no longer hold a Deployment', async () => {
    const noRun = `${app.key}-norun`;
    expect((await cli('--cluster', noRun, MANIFEST)).code).toBe(0);
    const dir = await mkdtemp(join(tmpdir(), 'ripple-k8s-norun-'));
    try {
      const r = await cli('--cluster', noRun, '--no-run', await withoutAdservice(dir));
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/discovery run/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect((await seen(`${noRun}/`)).filter((c) => c.stale)).toEqual([]);
  });
});
