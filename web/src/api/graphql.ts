// The web view's door to the shared typed GraphQL client (client/graphql.ts), so panels import from api/ as before.
export * from '../../../client/graphql';
