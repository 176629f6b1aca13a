// GraphQL documents of the change manager's desk: the standard-change catalogue the create form offers, the
// changes awaiting approval with who has approved and which teams are awaited, and approving for a team.
import { graphql } from './graphql';

export const StandardModelsQuery = graphql(`
  query StandardModels {
    standardChangeModels { id name description active classes environments riskCeiling templateFields { name defaultValue } }
  }
`);

export const AwaitingApprovalQuery = graphql(`
  query AwaitingApproval {
    me { subject }
    changes(statuses: [AWAITING_APPROVAL]) {
      id number title type requestedBy plannedStart plannedEnd
      approvals { awaitingTeams }
      yourApproval { personally forTeams }
      submittedAssessment { risk { level score } impactedCount }
    }
  }
`);

export const ApproveChangeFor = graphql(`
  mutation ApproveChangeFor($id: ID!, $note: String, $onBehalfOf: String) {
    r: approveChange(id: $id, note: $note, onBehalfOf: $onBehalfOf) { __typename ... on Error { message field } }
  }
`);
