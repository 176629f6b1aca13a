// Owns the demo estate's open work, so every workspace of the web view has something to show on first start:
// data-quality defects (an unowned service, a discovery source gone stale, a duplicate conflict), open incidents
// grouped into a problem with a known error, changes in several states, a freeze window and service levels. All
// of it goes through the use cases the API calls (server/services), as the people of demo mode would do it.
import type { ApprovalPolicy } from '../server/domain/change/approval-policy';
import type { ClassModel } from '../server/domain/class-model/types';
import type { Logger } from '../server/log';
import type { Db } from '../server/neo4j/db';
import { ChangeService } from '../server/services/changes';
import { DiscoveryService } from '../server/services/discovery';
import { ImpactService } from '../server/services/impact';
import { ProblemService } from '../server/services/problems';
import { ServiceLevelService } from '../server/services/service-levels';
import { upsertBatch, type UpsertItem } from '../server/services/upsert-batch';
import type { SeedCi, SeedEstate } from './estate';

export interface WorkspaceDeps {
  db: Db;
  model: ClassModel;
  maxBatch: number;
  log: Logger;
  approvalPolicy?: ApprovalPolicy;
  now?: Date;
}

/** The people of demo mode (server/services/demo-people.ts): dana requests and responds, marco approves. */
const DANA = 'dana';
const MARCO = 'marco';
const DAY = 86_400_000;

/** Seed CIs by key with the id the upsert gave them. */
export type SeededIds = Map<string, string>;

export async function seedWorkspaces(deps: WorkspaceDeps, estate: SeedEstate, ids: SeededIds): Promise<void> {
  const ctx = { deps, estate, ids, now: deps.now ?? new Date() };
  // Each part stands alone: a part the estate cannot show (a smaller estate, a stricter policy) is logged and skipped.
  for (const [name, part] of Object.entries(PARTS)) {
    try {
      await part(ctx);
    } catch (e) {
      deps.log.warn({ part: name, err: e instanceof Error ? e.message : String(e) }, 'demo workspace data skipped');
    }
  }
}

interface Ctx { deps: WorkspaceDeps; estate: SeedEstate; ids: SeededIds; now: Date }

function idOf(ctx: Ctx, key: string): string {
  const id = ctx.ids.get(key);
  if (!id) throw new Error(`the estate has no ${key}`);
  return id;
}

function ciOf(ctx: Ctx, key: string): SeedCi {
  const ci = ctx.estate.cis.find((c) => c.key === key);
  if (!ci) throw new Error(`the estate has no ${key}`);
  return ci;
}

type Rel = { type: string; from: { ref?: string; id?: string }; to: { ref?: string; id?: string } };

/** One batch through the discovery use case; a rejected item stops the part, unless rejection is the point. */
async function upsert(ctx: Ctx, source: string, items: UpsertItem[], extra: { runId?: string; relationships?: Rel[]; rejects?: boolean } = {}): Promise<void> {
  const { rejects, ...rest } = extra;
  const res = await upsertBatch(ctx.deps.db, ctx.deps.model, { source, items, ...rest } as never, DANA, ctx.deps.maxBatch);
  const refused = [...res.items, ...res.relationships].filter((o) => o.status === 'REJECTED');
  if (refused.length && !rejects) throw new Error(`${source}: ${refused.flatMap((o) => o.errors.map((e) => `${e.field} ${e.reason}`)).join('; ')}`);
}

const PARTS: Record<string, (ctx: Ctx) => Promise<void>> = {
  unownedService,
  staleSource,
  duplicateConflict,
  incidentsAndProblem,
  changes,
  freezeWindow,
  standardCatalogue,
  serviceLevels,
};

/** A reporting service someone registered by hand and nobody owns: the health panel's "services without owner". */
async function unownedService(ctx: Ctx): Promise<void> {
  await upsert(ctx, 'manual', [{ ref: 'legacy', className: 'ApplicationService', name: 'Legacy Reporting', environment: 'production', attributes: { serviceTier: 'tier-3' } }], {
    relationships: [{ type: 'DEPENDS_ON', from: { ref: 'legacy' }, to: { id: idOf(ctx, 'db:postgres-shared-primary') } }],
  });
}

/** A VMware inventory that once reported three VMs and last time only one: two of them stale by that source. */
async function staleSource(ctx: Ctx): Promise<void> {
  const discovery = new DiscoveryService(ctx.deps.db, ctx.deps.model);
  const vms = ['vm:monitoring-01', 'vm:monitoring-02', 'vm:loadtest-01'].map((k) => ciOf(ctx, k));
  const asItem = (c: SeedCi): UpsertItem => ({ ref: c.key, className: c.className, name: c.name, attributes: c.attributes } as UpsertItem);
  for (const reported of [vms, vms.slice(0, 1)]) {
    const run = await discovery.start('vmware-inventory', DANA);
    await upsert(ctx, 'vmware-inventory', reported.map(asItem), { runId: run.id });
    await discovery.complete(run.id);
  }
}

/**
 * An asset register that holds build-01 twice: once by host name only (an old hand-made record), and in a later
 * row with the serial number discovery knows it by. The row names two CIs, so nothing is merged: a conflict.
 */
async function duplicateConflict(ctx: Ctx): Promise<void> {
  const server = ciOf(ctx, 'srv:build-01');
  const byHost = { hostname: 'bld01', domain: server.attributes.domain };
  await upsert(ctx, 'asset-register', [{ ref: 'row-3', className: 'LinuxServer', name: 'build-01 (asset register)', attributes: byHost } as UpsertItem]);
  await upsert(ctx, 'asset-register', [
    { ref: 'row-17', className: 'LinuxServer', name: 'build-01', attributes: { serialNumber: server.attributes.serialNumber, ...byHost } } as UpsertItem,
  ], { rejects: true });
}

/** Two open incidents on the shared database and the sessions cache, grouped into a problem with a known error. */
async function incidentsAndProblem(ctx: Ctx): Promise<void> {
  const impact = new ImpactService(ctx.deps.db, ctx.deps.model);
  const db = idOf(ctx, 'db:postgres-shared-primary');
  const first = await impact.openIncident({ title: 'Checkout times out: shared Postgres at max connections', severity: 'SEV1', failed: [{ id: db, state: 'DOWN' }] }, DANA);
  const second = await impact.openIncident({ title: 'Slow logins: sessions cache evicting', severity: 'SEV3', failed: [{ id: idOf(ctx, 'cache:redis-sessions-primary'), state: 'DEGRADED' }] }, DANA);
  const problems = new ProblemService(ctx.deps.db);
  const problem = await problems.create('Connection storms after deploys exhaust shared Postgres', [first, second], DANA, 'both began minutes after a deploy');
  await problems.advance(problem, 'ROOT_CAUSE_IDENTIFIED', { rootCause: 'Services open a new pool per pod on start; a rolling deploy doubles the connections', rootCauseCiId: db }, DANA, null);
  await problems.advance(problem, 'KNOWN_ERROR', { workaround: 'Deploy one service at a time and restart pgbouncer between them' }, DANA, null);
}

/** Changes a change manager finds on Monday: a draft, one awaiting approval, one approved and scheduled, one closed. */
async function changes(ctx: Ctx): Promise<void> {
  const svc = new ChangeService(ctx.deps.db, ctx.deps.model, ctx.deps.approvalPolicy);
  const at = (days: number, hours: number) => new Date(ctx.now.getTime() + days * DAY + hours * 3_600_000).toISOString();
  // Windows start an hour out at the least: submitting a change whose window has begun is refused.
  const create = (title: string, key: string, days: number) =>
    svc.create({ title, type: 'NORMAL', targetIds: [idOf(ctx, key)], plannedStart: at(days, 1), plannedEnd: at(days, 3) }, DANA);

  await create('Raise max_connections on the shared Postgres', 'db:postgres-shared-primary', 2);
  const waiting = await create('Upgrade the sessions cache to Redis 7.4', 'cache:redis-sessions-primary', 3);
  await svc.markAssessed(waiting, DANA, null);
  await svc.submit(waiting, DANA, 'rolling, one replica at a time');
  const scheduled = await create('Patch the orders database replicas', 'db:orders-db-replica-1', 1);
  await svc.markAssessed(scheduled, DANA, null);
  await svc.submit(scheduled, DANA, null);
  await svc.approve(scheduled, MARCO, 'replicas only, primary untouched', null);
  await svc.schedule(scheduled, MARCO, null);
  const done = await create('Rotate the build server certificates', 'srv:build-01', 0);
  await svc.markAssessed(done, DANA, null);
  await svc.submit(done, DANA, null);
  await svc.approve(done, MARCO, null, null);
  await svc.schedule(done, MARCO, null);
  await svc.implement(done, DANA, null, 'certificates expired early');
  await svc.close(done, 'SUCCESSFUL', DANA, null);
}

/** The end-of-year freeze on production, a week out: a change planned inside it is refused in place. */
async function freezeWindow(ctx: Ctx): Promise<void> {
  const svc = new ChangeService(ctx.deps.db, ctx.deps.model, ctx.deps.approvalPolicy);
  const start = new Date(ctx.now.getTime() + 7 * DAY);
  await svc.catalogue.addFreezeWindow({ name: 'Peak season freeze', start: start.toISOString(), end: new Date(start.getTime() + 5 * DAY).toISOString(), serviceIds: [], environments: ['production'] }, MARCO);
}

/** A standard change in the catalogue, so the change form's "standard" type has a model to follow. */
async function standardCatalogue(ctx: Ctx): Promise<void> {
  const svc = new ChangeService(ctx.deps.db, ctx.deps.model, ctx.deps.approvalPolicy);
  await svc.catalogue.createModel({
    name: 'Restart a Kubernetes workload',
    description: 'Rolling restart of a Deployment or StatefulSet, one pod at a time.',
    classes: ['KubernetesWorkload'],
    environments: [],
    riskCeiling: 'MEDIUM',
    templateFields: [{ name: 'backoutPlan', defaultValue: 'roll back to the previous ReplicaSet' }, { name: 'ticket', defaultValue: null }],
  }, MARCO);
}

/** Service levels on the two business services the incidents touch. */
async function serviceLevels(ctx: Ctx): Promise<void> {
  const levels = new ServiceLevelService(ctx.deps.db, ctx.deps.model);
  await levels.set(idOf(ctx, 'bs:online-shop'), { targetPercent: 99.9 }, MARCO);
  await levels.set(idOf(ctx, 'bs:payments'), { targetPercent: 99.95 }, MARCO);
}
