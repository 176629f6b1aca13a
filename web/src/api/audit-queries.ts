// GraphQL document of the estate audit trail view: every write and discovery state change, newest first, filtered.
import { graphql } from './graphql';

export const AuditTrailQuery = graphql(`
  query AuditTrail($filter: AuditFilter, $first: Int, $after: String) {
    auditTrail(filter: $filter, first: $first, after: $after) {
      nextCursor
      entries {
        id at actor source action
        subject { id kind name className }
        changes { field before after relationship { type targetId targetName } }
      }
    }
  }
`);
