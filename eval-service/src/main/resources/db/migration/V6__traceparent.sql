-- The trace an evaluation was submitted in (docs/tracing.md): the W3C traceparent of the TrainingCompleted's handling
-- or of the API request, so that its EvaluationCompleted, published later from the row, continues that trace. Null
-- when it was submitted outside any trace.
ALTER TABLE evaluation ADD COLUMN traceparent VARCHAR(55);
