-- The trace a job was requested in (docs/tracing.md): the W3C traceparent of the training request's handling, so
-- that the run, on whichever instance and however often it resumes, and every event it publishes continue that
-- trace. Null when the request came outside any trace.
ALTER TABLE training_job ADD COLUMN traceparent VARCHAR(55);
