// GraphQL documents of the time control: the same questions as now, asked of a past instant with `at`.
import { graphql } from './graphql';
import { ImpactReportFields, SubgraphFields } from './queries';

export const DependentsAsOfQuery = graphql(
  `
  query DependentsAsOf($id: ID!, $at: DateTime!, $depth: Int!, $limit: Int!) {
    ci(id: $id, at: $at) {
      id
      asOf
      sub: dependents(depth: $depth, limit: $limit) { ...SubgraphFields }
    }
  }
`,
  [SubgraphFields],
);

export const ImpactAsOfQuery = graphql(
  `
  query ImpactAsOf($failed: [FailedCiInput!]!, $at: DateTime!) {
    report: impactAnalysis(failed: $failed, maxPaths: 3, at: $at) { ...ImpactReportFields }
  }
`,
  [ImpactReportFields],
);
