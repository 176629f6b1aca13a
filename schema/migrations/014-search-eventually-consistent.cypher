// Full-text search is updated after a write commits, by Neo4j in the background, instead of inside every commit.
// Kept in the commit, Lucene's update and the reopening of its searcher were a sixth of the Neo4j time of a
// discovery load on two cores. A search first waits for the updates already committed (searchCis calls
// db.index.fulltext.awaitEventuallyConsistentIndexRefresh), so what a user wrote is found as before.
DROP INDEX ci_search IF EXISTS;
CREATE FULLTEXT INDEX ci_search IF NOT EXISTS FOR (n:CI) ON EACH [n.name, n.description, n.searchText]
  OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}};
// Rebuilt from the stored CIs; searches wait for it rather than fail on an index still populating.
CALL db.awaitIndex('ci_search', 600);
