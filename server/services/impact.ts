// Owns impact analysis and incidents: reachability from the storage layer (one query), propagation by the pure
// domain (server/domain/impact), and the incident records whose impact is computed on open and refreshable.
import type { ClassModel } from '../domain/class-model/types';
import { mintId } from '../domain/ci/identity';
import { propagateImpact, rankRootCauses, type FailedCi, type ImpactReport, type RootCauseCandidate } from '../domain/impact';
import { NotFoundError, ValidationError } from '../errors';
import type { Db } from '../neo4j/db';
import { downstreamOf, upstreamOf } from '../neo4j/repositories/impact-repository';
import {
  createIncident,
  createProblem,
  incidentsByIds,
  listIncidents,
  nextNumber,
  setIncidentImpact,
  setIncidentStatus,
  type IncidentRecord,
} from '../neo4j/repositories/itsm-repository';
import { recordImpactStates } from '../neo4j/repositories/service-level-repository';

export const MAX_IMPACT_DEPTH = 50;
export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

/** The state each impacted service is in: what service levels measure downtime from. */
function serviceStates(report: ImpactReport): { id: string; state: string }[] {
  return report.services.filter((s) => s.state === 'DOWN' || s.state === 'DEGRADED').map((s) => ({ id: s.id, state: s.state }));
}

export class ImpactService {
  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
  ) {}

  /** What the failure (or degradation) of these CIs takes down, with explanation paths; writes nothing. */
  async analyse(failed: FailedCi[], maxPaths = 3): Promise<ImpactReport> {
    if (!failed.length) throw new ValidationError('failed', 'name at least one CI');
    if (maxPaths < 0 || maxPaths > 10) throw new ValidationError('maxPaths', 'must be between 0 and 10');
    const ids = [...new Set(failed.map((f) => f.id))];
    // The upstream subgraph holds every named CI that exists: one query both checks and reaches.
    const graph = await this.db.read((tx) => upstreamOf(tx, this.model, ids, MAX_IMPACT_DEPTH));
    const reached = new Set(graph.nodes.map((n) => n.id));
    const missing = ids.find((id) => !reached.has(id));
    if (missing) throw new NotFoundError('CI', missing, 'failed');
    return propagateImpact(graph, failed, { maxPaths });
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
      await setIncidentImpact(tx, id, JSON.stringify(report));
      await recordImpactStates(tx, id, 'openedAt', serviceStates(report));
    });
    return id;
  }

  async incident(id: string): Promise<IncidentRecord> {
    const rec = (await this.db.read((tx) => incidentsByIds(tx, [id]))).get(id);
    if (!rec) throw new NotFoundError('incident', id);
    return rec;
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
      await setIncidentImpact(tx, id, JSON.stringify(report));
      await recordImpactStates(tx, id, 'impactAt', serviceStates(report));
    });
  }

  async setStatus(id: string, status: 'RESOLVED' | 'CLOSED'): Promise<void> {
    const inc = await this.incident(id);
    const allowed: Record<string, string[]> = { RESOLVED: ['OPEN'], CLOSED: ['OPEN', 'RESOLVED'] };
    if (!allowed[status]!.includes(inc.status)) {
      throw new ValidationError('status', `an incident that is ${inc.status} cannot become ${status}`);
    }
    await this.db.write(async (tx) => {
      await setIncidentStatus(tx, id, status);
      // Resolution ends every service's downtime from this incident (a CLOSE straight from OPEN does too).
      await recordImpactStates(tx, id, status === 'RESOLVED' ? 'resolvedAt' : 'closedAt', []);
    });
  }

  async createProblem(title: string, incidentIds: string[], actor: string): Promise<string> {
    if (!title.trim()) throw new ValidationError('title', 'must not be empty');
    if (!incidentIds.length) throw new ValidationError('incidentIds', 'name at least one incident');
    const found = await this.db.read((tx) => incidentsByIds(tx, incidentIds));
    const missing = incidentIds.find((i) => !found.has(i));
    if (missing) throw new NotFoundError('incident', missing, 'incidentIds');
    const id = mintId('prb');
    await this.db.write(async (tx) => {
      const number = await nextNumber(tx, 'problem', 'PRB');
      await createProblem(tx, { id, number, title: title.trim(), incidentIds, createdBy: actor });
    });
    return id;
  }

  /** Shared dependencies of the CIs behind several incidents, ranked by how much of the impact each explains. */
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
    return rankRootCauses({ incidents: incidents.map((i) => ({ id: i.id, cis: i.affected.map((a) => a.id) })), graph }, { limit });
  }
}
