// Typed GraphQL documents of the web view, checked by gql.tada against schema/schema.graphql.
import { graphql } from './graphql';

/** What a drawn node needs to know about its CI: label, shape (family) and filters. */
export const CiNodeFields = graphql(`
  fragment CiNodeFields on CI @_unmask {
    id
    name
    className
    family
    environment
    lifecycle
    criticality
    stale
  }
`);

export const SearchQuery = graphql(
  `
  query Search($text: String!, $first: Int) {
    search(text: $text, first: $first) {
      score
      ci { ...CiNodeFields }
    }
  }
`,
  [CiNodeFields],
);

export const NeighbourhoodQuery = graphql(
  `
  query Neighbourhood($id: ID!) {
    ci(id: $id) {
      ...CiNodeFields
      relationships(direction: BOTH) {
        type
        absent
        from { ...CiNodeFields }
        to { ...CiNodeFields }
      }
    }
  }
`,
  [CiNodeFields],
);

export const DetailsQuery = graphql(
  `
  query Details($id: ID!) {
    ci(id: $id) {
      ...CiNodeFields
      classPath
      description
      sources
      attributes
      owner { name email onCall slackChannel }
      provenance { field source at }
      history(first: 15) { at actor source action changes { field before after } }
    }
  }
`,
  [CiNodeFields],
);

/** A bounded traversal as the graph draws it: the root, every node with its CI, the edges among them. */
export const SubgraphFields = graphql(
  `
  fragment SubgraphFields on Subgraph @_unmask {
    root { ...CiNodeFields }
    truncated
    cutByDepth
    nodes { distance moreBeyondDepth ci { ...CiNodeFields } }
    edges { type fromId toId absent }
  }
`,
  [CiNodeFields],
);

export const DependenciesQuery = graphql(
  `
  query Dependencies($id: ID!, $depth: Int!, $limit: Int!) {
    ci(id: $id) {
      id
      sub: dependencies(depth: $depth, limit: $limit) { ...SubgraphFields }
    }
  }
`,
  [SubgraphFields],
);

export const DependentsQuery = graphql(
  `
  query Dependents($id: ID!, $depth: Int!, $limit: Int!) {
    ci(id: $id) {
      id
      sub: dependents(depth: $depth, limit: $limit) { ...SubgraphFields }
    }
  }
`,
  [SubgraphFields],
);

/** What the impact view draws and lists of a report, now or as of a past instant. */
export const ImpactReportFields = graphql(
  `
  fragment ImpactReportFields on ImpactReport @_unmask {
    services {
      id name className state distance lowConfidence criticality ownerTeams failed
      paths { ciIds cis { id name } }
    }
    impacted { id name className state distance failed ci { ...CiNodeFields } }
    teams { team serviceIds otherCiIds }
  }
`,
  [CiNodeFields],
);

export const ChangesQuery = graphql(`
  query Changes {
    changes { id number title status type plannedStart plannedEnd }
  }
`);

export const ChangeAssessmentFields = graphql(`
  fragment ChangeAssessmentFields on ChangeAssessment @_unmask {
    assessedAt
    impactedCount
    blastRadius { distance cis { id name className isService state } }
    risk { score level factors { name detail points weight } }
    ownersToNotify { team serviceIds }
    conflicts { changeId number title status plannedStart plannedEnd sharedCiIds sharedServiceIds }
    freezeWindows { name start end }
    redundancyLost { id name lost total }
  }
`);

export const ChangeQuery = graphql(
  `
  query Change($id: ID!) {
    change(id: $id) {
      id number title status type plannedStart plannedEnd
      targets { id name }
      currentAssessment { ...ChangeAssessmentFields }
    }
  }
`,
  [ChangeAssessmentFields],
);

export const CreateChangeMutation = graphql(`
  mutation CreateChange($input: CreateChangeInput!) {
    createChange(input: $input) {
      __typename
      ... on MutationCreateChangeSuccess { data { id number } }
      ... on Error { message }
    }
  }
`);

export const CisByIdsQuery = graphql(
  `
  query CisByIds($ids: [ID!]!, $first: Int) {
    cis(filter: { ids: $ids }, first: $first) { nodes { ...CiNodeFields } }
  }
`,
  [CiNodeFields],
);

export const HealthFigureFields = graphql(`
  fragment HealthFigureFields on HealthFigure @_unmask {
    key
    count
    ciIds
  }
`);

/** CMDB health: ids only; the CIs behind a figure are read (CisByIdsQuery) when the user opens it. */
export const CmdbHealthQuery = graphql(
  `
  query CmdbHealth {
    health: cmdbHealth {
      totalCis
      completenessScore
      completeness { className attribute missing total ciIds }
      staleBySource { ...HealthFigureFields }
      absentRelationshipsBySource { ...HealthFigureFields }
      orphans { ...HealthFigureFields }
      unownedServices { ...HealthFigureFields }
      duplicateConflicts { key source lastSeen ciIds cis { id name className } }
    }
  }
`,
  [HealthFigureFields],
);

/** The impact as a graph view draws it: groups by distance, class and state, and the edges between them. */
export const ImpactDrawingQuery = graphql(
  `
  query ImpactDrawing($failed: [FailedCiInput!]!, $budget: Int, $expand: [ID!]) {
    drawing: impactDrawing(failed: $failed, budget: $budget, expand: $expand) {
      nodes {
        key isGroup count className state distance
        impacted { id name className state distance failed ci { ...CiNodeFields } }
      }
      edges { from to type count }
      edgesLeftOut
      tooLargeToExpand
    }
  }
`,
  [CiNodeFields],
);

/** What the impact panel lists at any size: the first services with totals, and the teams to notify. */
export const ImpactSummaryQuery = graphql(`
  query ImpactSummary($failed: [FailedCiInput!]!, $first: Int) {
    report: impactAnalysis(failed: $failed, maxPaths: 1) {
      servicePage(first: $first) {
        totalCount
        nodes {
          id name className state distance lowConfidence criticality ownerTeams failed
          paths { ciIds cis { id name } }
        }
      }
      teams { team serviceIds otherCiIds }
    }
  }
`);
