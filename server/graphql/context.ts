// Owns the per-request GraphQL context: the database handle (counting its queries), the class model, the
// request's DataLoaders, the command service, and who is asking.
import type { ClassModel } from '../domain/class-model/types';
import type { Logger } from '../log';
import type { Db, QueryCounter } from '../neo4j/db';
import type { ChangeService } from '../services/changes';
import type { CiCommands } from '../services/ci-commands';
import type { DiscoveryService } from '../services/discovery';
import type { ImpactService } from '../services/impact';
import type { ServiceLevelService } from '../services/service-levels';
import type { AuditService } from '../services/audit';
import type { Loaders } from './loaders';

export interface Limits {
  maxBatch: number;
  maxTraversalDepth: number;
}

export interface Context {
  db: Db;
  queries: QueryCounter;
  log: Logger;
  model: ClassModel;
  loaders: Loaders;
  commands: CiCommands;
  impact: ImpactService;
  changes: ChangeService;
  discovery: DiscoveryService;
  serviceLevels: ServiceLevelService;
  audit: AuditService;
  limits: Limits;
  /** Who is asking: a token's name or a user; recorded on writes. */
  actor: string;
}
