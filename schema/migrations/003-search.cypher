// Full-text search over names, descriptions and the key attributes folded into searchText on write.
CREATE FULLTEXT INDEX ci_search IF NOT EXISTS FOR (n:CI) ON EACH [n.name, n.description, n.searchText];
CREATE FULLTEXT INDEX team_search IF NOT EXISTS FOR (t:Team) ON EACH [t.name, t.email];
