// Before Sightings (011), a run recorded what it saw in a property per source on the CI or relationship itself,
// seen_<source>_<hash>. Nothing reads them any more, and on a CI every property Ripple does not maintain reads as a
// class attribute, so databases from then showed them among a CI's attributes. Removing them here keeps the
// reader free of a rule for leftovers. Batched, as an old estate may hold one on every CI and relationship.
MATCH (n:CI) WHERE any(k IN keys(n) WHERE k STARTS WITH 'seen_')
CALL (n) { UNWIND [k IN keys(n) WHERE k STARTS WITH 'seen_'] AS k REMOVE n[k] } IN TRANSACTIONS OF 5000 ROWS;
MATCH (:CI)-[r]->(:CI) WHERE any(k IN keys(r) WHERE k STARTS WITH 'seen_')
CALL (r) { UNWIND [k IN keys(r) WHERE k STARTS WITH 'seen_'] AS k REMOVE r[k] } IN TRANSACTIONS OF 5000 ROWS;
