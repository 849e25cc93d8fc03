-- The trace of the transaction that wrote an event, so that the publisher sends it in that trace (W3C traceparent).
ALTER TABLE gateway_event ADD COLUMN traceparent VARCHAR(55);
