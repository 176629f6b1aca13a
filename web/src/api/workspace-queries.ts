// GraphQL documents of the incident and change workspaces (lifecycle steps, incidents, problems, root causes),
// apart from queries.ts so each workspace grows in its own file.
import { graphql } from './graphql';


export const AssessChange = graphql(`mutation AssessChange($id: ID!, $note: String) { r: assessChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const SubmitChange = graphql(`mutation SubmitChange($id: ID!, $note: String) { r: submitChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const ApproveChange = graphql(`mutation ApproveChange($id: ID!, $note: String) { r: approveChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const RejectChange = graphql(`mutation RejectChange($id: ID!, $note: String) { r: rejectChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const ScheduleChange = graphql(`mutation ScheduleChange($id: ID!, $note: String) { r: scheduleChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const ImplementChange = graphql(`mutation ImplementChange($id: ID!, $note: String, $earlyStartReason: String) { r: implementChange(id: $id, note: $note, earlyStartReason: $earlyStartReason) { __typename ... on Error { message field } } }`);
export const CancelChange = graphql(`mutation CancelChange($id: ID!, $note: String) { r: cancelChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const CloseChange = graphql(`mutation CloseChange($id: ID!, $outcome: ChangeOutcome!) { r: closeChange(id: $id, outcome: $outcome) { __typename ... on Error { message field } } }`);

export const TeamsQuery = graphql(`query Teams { teams { name email onCall slackChannel } }`);

export const ChangeDetailQuery = graphql(`
  query ChangeDetail($id: ID!) {
    change(id: $id) {
      requestedBy approvedBy decisionNote outcome
      timeline { at actor action fromStatus toStatus note }
      sinceSubmission { riskBefore riskAfter servicesAdded servicesRemoved servicesChangedState conflictsAdded conflictsRemoved }
    }
  }
`);

/** Open incidents with the size of their stored impact, for the incident list. */
export const OpenIncidentsQuery = graphql(`
  query OpenIncidents {
    incidents(statuses: [OPEN]) { id number title severity status openedAt problemId impact { services { id } } }
  }
`);

export const IncidentQuery = graphql(`
  query Incident($id: ID!) {
    incident(id: $id) {
      id number title severity status openedAt impactComputedAt problemId
      affected { state ci { id name } }
      knownErrors { id number title rootCause workaround }
      impact {
        services { id name className state distance lowConfidence criticality ownerTeams failed paths { ciIds cis { id name } } }
        impacted { id name className state distance failed ci { id name className family environment lifecycle criticality stale } }
        teams { team serviceIds otherCiIds }
      }
    }
  }
`);

export const OpenIncident = graphql(`
  mutation OpenIncident($input: OpenIncidentInput!) {
    r: openIncident(input: $input) { __typename ... on MutationOpenIncidentSuccess { data { id number } } ... on Error { message field } }
  }
`);
export const ResolveIncident = graphql(`mutation ResolveIncident($id: ID!) { r: resolveIncident(id: $id) { __typename ... on Error { message field } } }`);
export const CloseIncident = graphql(`mutation CloseIncident($id: ID!) { r: closeIncident(id: $id) { __typename ... on Error { message field } } }`);
export const RefreshIncident = graphql(`mutation RefreshIncident($id: ID!) { r: refreshIncidentImpact(id: $id) { __typename ... on Error { message field } } }`);
export const CreateProblem = graphql(`
  mutation CreateProblem($incidentIds: [ID!]!, $title: String!) {
    r: createProblem(incidentIds: $incidentIds, title: $title) { __typename ... on MutationCreateProblemSuccess { data { id number } } ... on Error { message field } }
  }
`);
export const RootCausesQuery = graphql(`
  query RootCauses { rootCauseSuggestions(limit: 5) { ciId name distance explainedShare impactedCount explainsIncidentIds } }
`);
