// GraphQL documents of the service levels view and a service's details: each service's availability against its
// target, the error budget left and how fast it burns, and the incidents that consumed it.
import { graphql } from './graphql';

export const MeasuredLevelFields = graphql(`
  fragment MeasuredLevelFields on ServiceLevel @_unmask {
    serviceId
    name
    targetPercent
    period
    periodStart
    availabilityPercent
    budgetMinutes
    budgetLeftMinutes
    budgetLeftPercent
    burnRate
    status
    incidents { incidentId number title share }
  }
`);

export const ServiceLevelsQuery = graphql(
  `
  query ServiceLevels($atRiskOnly: Boolean, $limit: Int) {
    serviceLevels(atRiskOnly: $atRiskOnly, limit: $limit) { ...MeasuredLevelFields }
  }
`,
  [MeasuredLevelFields],
);

export const ServiceLevelOfQuery = graphql(
  `
  query ServiceLevelOf($id: ID!) {
    serviceLevels(serviceIds: [$id], limit: 1) { ...MeasuredLevelFields }
  }
`,
  [MeasuredLevelFields],
);
