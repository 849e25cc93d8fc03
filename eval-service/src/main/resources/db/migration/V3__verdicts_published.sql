-- The policy an evaluation was judged by is in policy_json, its verdict and reasons in verdict / reasons_json. A
-- finished evaluation is published on evaluation.events once: published_at is set when the broker acknowledged it,
-- and the publisher retries the rows where it is still null (a transactional outbox on the evaluation row itself).
ALTER TABLE evaluation ADD COLUMN published_at TIMESTAMP;
CREATE INDEX evaluation_unpublished ON evaluation (status, published_at);
