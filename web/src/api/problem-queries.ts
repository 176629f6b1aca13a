// GraphQL documents of problem management in the incident workspace: the problems not yet resolved with their
// root cause and known error, and the steps that record them.
import { graphql } from './graphql';

export const ProblemsQuery = graphql(`
  query Problems {
    problems(statuses: [OPEN, ROOT_CAUSE_IDENTIFIED, KNOWN_ERROR]) {
      id number title status rootCause workaround knownErrorAt
      rootCauseCi { id name }
      incidents { id number }
      rootCauses { ciId name }
    }
  }
`);

export const IdentifyRootCause = graphql(`
  mutation IdentifyRootCause($id: ID!, $rootCause: String, $rootCauseCiId: ID) {
    r: identifyRootCause(id: $id, rootCause: $rootCause, rootCauseCiId: $rootCauseCiId) { __typename ... on Error { message field } }
  }
`);

export const RecordKnownError = graphql(`
  mutation RecordKnownError($id: ID!, $workaround: String!, $rootCause: String, $rootCauseCiId: ID) {
    r: recordKnownError(id: $id, workaround: $workaround, rootCause: $rootCause, rootCauseCiId: $rootCauseCiId) { __typename ... on Error { message field } }
  }
`);

export const ResolveProblem = graphql(`
  mutation ResolveProblem($id: ID!, $resolution: String!) {
    r: resolveProblem(id: $id, resolution: $resolution) { __typename ... on Error { message field } }
  }
`);
