-- The trace an outbox message was written in (docs/tracing.md): the W3C traceparent of the upload's request, so that
-- the relay sends the event in that trace rather than in none. Null when it was written outside any trace.
ALTER TABLE outbox_message ADD COLUMN traceparent VARCHAR(55);
