// Owns the per-request GraphQL context: the database handle (counting its queries), the class model, the
// request's DataLoaders, the command service, and who is asking.
import type { Identity } from '../domain/auth/roles';
import type { ClassModel } from '../domain/class-model/types';
import type { Logger } from '../log';
import type { Db, QueryCounter, RequestScope } from '../neo4j/db';
import type { ChangeService } from '../services/changes';
import type { CiCommands } from '../services/ci-commands';
import type { DiscoveryService } from '../services/discovery';
import type { ImpactService } from '../services/impact';
import type { ServiceLevelService } from '../services/service-levels';
import type { AuditService } from '../services/audit';
import type { TokenService } from '../services/tokens';
import type { Loaders } from './loaders';

export interface Limits {
  maxBatch: number;
  maxTraversalDepth: number;
  /** The most a query may cost by the complexity plugin's estimate (server/graphql/cost.ts). */
  maxQueryCost: number;
}

export interface Context {
  db: Db;
  queries: QueryCounter;
  /** The request's lane and cancellation signal, shared by every transaction it opens. */
  scope: RequestScope;
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
  tokens: TokenService;
  /** Who is asking, from credentials only (null: no credentials outside demo mode). */
  identity: Identity | null;
  /** identity.subject, or 'anonymous'; recorded on writes. */
  actor: string;
  requestId: string;
}
