-- Rate limits and token budgets (issue 21). One row a token bucket: Bucket4j's serialized state, locked by the request
-- that takes from it (SELECT ... FOR UPDATE), so that concurrent requests and every replica share one count. A bucket's
-- id names its key, kind, scope, period and limit (see limits/Quota); rows not written for updated_at's retention are
-- deleted (their period is over).
CREATE TABLE rate_limit_bucket (
    id          VARCHAR(400)  NOT NULL PRIMARY KEY,
    state       BYTEA,
    updated_at  TIMESTAMP     NOT NULL
);
CREATE INDEX rate_limit_bucket_updated ON rate_limit_bucket (updated_at);

-- A key's own limits; NULL: the configured default (anvil.gateway.rate-limits.*).
ALTER TABLE api_key ADD COLUMN requests_per_minute BIGINT;
ALTER TABLE api_key ADD COLUMN tokens_per_minute BIGINT;
ALTER TABLE api_key ADD COLUMN tokens_per_day BIGINT;
ALTER TABLE api_key ADD COLUMN tokens_per_month BIGINT;
