// API tokens are found by the id their text carries; only a hash of the token is stored.
CREATE CONSTRAINT api_token_id_unique IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.id IS UNIQUE;
