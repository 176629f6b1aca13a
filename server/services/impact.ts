// Owns impact analysis and incidents: reachability from the storage layer (one query), propagation by the pure
// domain (server/domain/impact), and the incident records whose impact is computed on open and refreshable.
import type { ClassModel } from '../domain/class-model/types';
import { mintId } from '../domain/ci/identity';
import { rankRootCauses, upstreamOfGraph, type FailedCi, type ImpactReport, type RootCauseCandidate, type Upstream } from '../domain/impact';
import { drawImpact, type DrawingOptions, type ImpactDrawing } from '../domain/impact/drawing';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Db } from '../neo4j/db';
import { downstreamOf } from '../neo4j/repositories/impact-repository';
import type { Instant } from '../domain/time-travel/as-of';
import { upstreamAt } from './time-travel';
import { Neo4jUpstream, type UpstreamSource } from './impact-read-model';
import { INCIDENT_STEPS } from '../domain/problem/lifecycle';
import { createIncident, incidentsByIds, listIncidents, nextNumber, setIncidentImpact, type IncidentRecord } from '../neo4j/repositories/itsm-repository';
import { applyStep, statusOf, timelineOf, type RecordEvent } from '../neo4j/repositories/record-repository';
import { ProblemService } from './problems';
import { recordImpactStates } from '../neo4j/repositories/service-level-repository';
import { storeImpactReport } from './stored-documents';

export const MAX_IMPACT_DEPTH = 50;
export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

/** The state each impacted service is in: what service levels measure downtime from. */
function serviceStates(report: ImpactReport): { id: string; state: string }[] {
  return report.services.filter((s) => s.state === 'DOWN' || s.state === 'DEGRADED').map((s) => ({ id: s.id, state: s.state }));
}

const failedKey = (failed: FailedCi[]) => failed.map((f) => `${f.id}:${f.state}`).sort();

/** The upstream subgraph holds every named CI that exists: one walk both checks and reaches. */
function checkReached(upstream: Upstream, ids: string[]): Upstream {
  const missing = ids.find((id) => !upstream.has(id));
  if (missing) throw new NotFoundError('CI', missing, 'failed');
  return upstream;
}

export class ImpactService {
  readonly problems: ProblemService;

  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
    private readonly source: UpstreamSource = new Neo4jUpstream(db, model),
  ) {
    this.problems = new ProblemService(db);
  }

  /** What the failure (or degradation) of these CIs takes down, with explanation paths; writes nothing. */
  /** With `at`, on the graph as it was at that instant (an incident review sees the blast radius as it was). */
  async analyse(failed: FailedCi[], maxPaths = 3, at?: Instant): Promise<ImpactReport> {
    if (!failed.length) throw new ValidationError('failed', 'name at least one CI');
    if (maxPaths < 0 || maxPaths > 10) throw new ValidationError('maxPaths', 'must be between 0 and 10');
    const ids = [...new Set(failed.map((f) => f.id))];
    const report = (upstream: Upstream) => checkReached(upstream, ids).propagate(failed, { maxPaths });
    // The past is read from Neo4j, where history is kept; the read model holds only the present.
    if (at !== undefined) return report(upstreamOfGraph(await this.db.read((tx) => upstreamAt(tx, this.model, ids, MAX_IMPACT_DEPTH, at))));
    return this.overUpstream(['impact', failedKey(failed), maxPaths], ids, report);
  }

  /**
   * What these CIs take down as a graph view draws it at a bounded size: groups by distance, class and state,
   * the edges between them with counts, the failed CIs and small buckets one by one (domain/impact/drawing.ts).
   */
  async drawing(failed: FailedCi[], opts: DrawingOptions): Promise<ImpactDrawing> {
    if (!failed.length) throw new ValidationError('failed', 'name at least one CI');
    const ids = [...new Set(failed.map((f) => f.id))];
    return this.overUpstream(['impact-drawing', failedKey(failed), opts], ids, (upstream) => {
      const report = checkReached(upstream, ids).propagate(failed, { maxPaths: 0 });
      // The drawing folds relationships by type, which only the string-id subgraph keeps.
      const graph = upstream.subgraph();
      return drawImpact(report.impacted, graph.edges.filter((e) => graph.rules.impacting.has(e.type)), opts);
    });
  }

  /** `compute` over the present upstream subgraph of `ids`, remembered (where the source can) until a write touches it. */
  private async overUpstream<T>(key: unknown[], ids: string[], compute: (upstream: Upstream) => T): Promise<T> {
    if (this.source.remember) return this.source.remember(JSON.stringify(key), ids, MAX_IMPACT_DEPTH, compute);
    return compute(upstreamOfGraph(await this.source.upstream(ids, MAX_IMPACT_DEPTH)));
  }

  async openIncident(input: { title: string; severity: string; failed: FailedCi[] }, actor: string): Promise<string> {
    const title = input.title.trim();
    if (!title) throw new ValidationError('title', 'must not be empty');
    if (!(SEVERITIES as readonly string[]).includes(input.severity)) throw new ValidationError('severity', `must be one of ${SEVERITIES.join(', ')}`);
    const report = await this.analyse(input.failed);
    const id = mintId('inc');
    await this.db.write(async (tx) => {
      const number = await nextNumber(tx, 'incident', 'INC');
      await createIncident(tx, { id, number, title, severity: input.severity, openedBy: actor, affected: input.failed.map((f) => ({ id: f.id, state: f.state })) });
      await setIncidentImpact(tx, id, storeImpactReport(report));
      await recordImpactStates(tx, id, 'openedAt', serviceStates(report));
    });
    return id;
  }

  async incident(id: string): Promise<IncidentRecord> {
    const rec = (await this.db.read((tx) => incidentsByIds(tx, [id]))).get(id);
    if (!rec) throw new NotFoundError('incident', id);
    return rec;
  }

  /** The incident, or null when there is none; a database failure still surfaces as an error. */
  async findIncident(id: string): Promise<IncidentRecord | null> {
    return (await this.db.read((tx) => incidentsByIds(tx, [id]))).get(id) ?? null;
  }

  timeline(id: string): Promise<RecordEvent[]> {
    return this.db.read((tx) => timelineOf(tx, 'Incident', id));
  }

  incidents(statuses: string[], limit = 100): Promise<IncidentRecord[]> {
    return this.db.read((tx) => listIncidents(tx, statuses, limit));
  }

  /** Recomputes an open incident's impact against the graph as it is now. */
  async refreshImpact(id: string): Promise<void> {
    const inc = await this.incident(id);
    // A resolved or closed incident keeps the impact it had: that is what its review looks at.
    if (inc.status !== 'OPEN') throw new ValidationError('status', `incident ${inc.number} is ${inc.status}; only an open incident's impact is refreshed`);
    const report = await this.analyse(inc.affected.map((a) => ({ id: a.id, state: a.state as FailedCi['state'] })));
    await this.db.write(async (tx) => {
      await setIncidentImpact(tx, id, storeImpactReport(report));
      await recordImpactStates(tx, id, 'impactAt', serviceStates(report));
    });
  }

  /**
   * Resolves an open incident or closes a resolved one, guarded in the write: closing confirms a resolution and
   * never replaces one. Who resolved and who closed, and when, are recorded with the note.
   */
  async setStatus(id: string, status: 'RESOLVED' | 'CLOSED', actor: string, note: string | null): Promise<void> {
    const inc = await this.incident(id);
    const from = INCIDENT_STEPS[status];
    if (!from.includes(inc.status)) {
      const hint = status === 'CLOSED' && inc.status === 'OPEN' ? '; resolve it first' : '';
      throw new ConflictError(`incident ${inc.number} is ${inc.status} and cannot become ${status}${hint}`, 'status');
    }
    const set = status === 'RESOLVED' ? { resolvedBy: actor, resolution: note } : { closedBy: actor };
    await this.db.write(async (tx) => {
      const stamp = [status === 'RESOLVED' ? 'resolvedAt' : 'closedAt'];
      if ((await applyStep(tx, 'Incident', id, { from, to: status, set, stamp, event: { actor, action: status, note } })) === null) {
        throw new ConflictError(`incident ${inc.number} became ${(await statusOf(tx, 'Incident', id)) ?? 'deleted'} meanwhile`, 'status');
      }
      // Resolution ends every service's downtime from this incident.
      await recordImpactStates(tx, id, status === 'RESOLVED' ? 'resolvedAt' : 'closedAt', []);
    });
  }

  /**
   * CIs the CIs behind several incidents have in common, ranked by how much of the impact each explains. With
   * two or more incidents, a candidate that explains only one of them (its own CI, say) is no shared cause and
   * is left out; with one incident there is nothing to share, and its own candidates are the answer.
   */
  async rootCauses(incidentIds: string[] | null, limit = 10): Promise<RootCauseCandidate[]> {
    let incidents: IncidentRecord[];
    if (incidentIds?.length) {
      const found = await this.db.read((tx) => incidentsByIds(tx, incidentIds));
      const missing = incidentIds.find((i) => !found.has(i));
      if (missing) throw new NotFoundError('incident', missing, 'incidentIds');
      incidents = [...found.values()];
    } else {
      incidents = await this.incidents(['OPEN']);
    }
    if (!incidents.length) return [];
    const ciIds = [...new Set(incidents.flatMap((i) => i.affected.map((a) => a.id)))];
    const graph = await this.db.read((tx) => downstreamOf(tx, this.model, ciIds, MAX_IMPACT_DEPTH));
    const ranked = rankRootCauses({ incidents: incidents.map((i) => ({ id: i.id, cis: i.affected.map((a) => a.id) })), graph }, { limit: graph.nodes.length });
    const shared = incidents.length > 1 ? ranked.filter((c) => c.explains.length > 1) : ranked;
    return shared.slice(0, limit);
  }
}
