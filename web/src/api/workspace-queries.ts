// GraphQL documents of the incident and change workspaces (lifecycle steps, incidents, problems, root causes),
// apart from queries.ts so each workspace grows in its own file.
import { graphql } from './graphql';


export const AssessChange = graphql(`mutation AssessChange($id: ID!, $note: String) { r: assessChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const SubmitChange = graphql(`mutation SubmitChange($id: ID!, $note: String) { r: submitChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const ApproveChange = graphql(`mutation ApproveChange($id: ID!, $note: String) { r: approveChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const RejectChange = graphql(`mutation RejectChange($id: ID!, $note: String) { r: rejectChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const ScheduleChange = graphql(`mutation ScheduleChange($id: ID!, $note: String) { r: scheduleChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const ImplementChange = graphql(`mutation ImplementChange($id: ID!, $note: String) { r: implementChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const CancelChange = graphql(`mutation CancelChange($id: ID!, $note: String) { r: cancelChange(id: $id, note: $note) { __typename ... on Error { message field } } }`);
export const CloseChange = graphql(`mutation CloseChange($id: ID!, $outcome: ChangeOutcome!) { r: closeChange(id: $id, outcome: $outcome) { __typename ... on Error { message field } } }`);

export const TeamsQuery = graphql(`query Teams { teams { name email onCall slackChannel } }`);

export const ChangeDetailQuery = graphql(`
  query ChangeDetail($id: ID!) {
    change(id: $id) {
      requestedBy approvedBy decisionNote outcome
      sinceSubmission { riskBefore riskAfter servicesAdded servicesRemoved servicesChangedState conflictsAdded conflictsRemoved }
    }
  }
`);
