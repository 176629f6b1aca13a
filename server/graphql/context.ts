// Owns the per-request GraphQL context: the database handle (counting its queries) and the request's identity.
import type { Logger } from '../log';
import type { Db, QueryCounter } from '../neo4j/db';

export interface Context {
  db: Db;
  queries: QueryCounter;
  log: Logger;
  /** Who is asking: a token's name or a user; recorded on writes. */
  actor: string;
}
