-- Job leases (docs/trainer-api.md, "Crash recovery"): the instance that runs a job and when it last said it is alive.
-- A queued or running job whose owner is empty or whose heartbeat is older than the lease is claimed by another
-- instance with a conditional UPDATE on (lease_owner, heartbeat_at). cancel_requested carries a cancel to a job
-- that runs on another instance; its owner sees it at its next heartbeat.
ALTER TABLE training_job ADD COLUMN lease_owner VARCHAR(160);
ALTER TABLE training_job ADD COLUMN heartbeat_at TIMESTAMP;
ALTER TABLE training_job ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
-- The orphan scan reads only unfinished jobs.
CREATE INDEX training_job_status ON training_job (status, heartbeat_at);
