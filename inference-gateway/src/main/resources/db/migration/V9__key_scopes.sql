-- Key scopes (issue 23): what a service key may read of the admin API, comma separated (traffic:read). NULL: none, a
-- /v1 key as before. A key with a scope is refused on /v1.
ALTER TABLE api_key ADD COLUMN scopes VARCHAR(255);
