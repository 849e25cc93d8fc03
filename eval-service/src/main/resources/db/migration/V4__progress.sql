-- Where a running evaluation is, for GET /evaluations/{id} and its event stream: the phase (candidate.scoring,
-- candidate.generation, baseline.scoring, baseline.generation) and the examples done of the phase's total.
ALTER TABLE evaluation ADD COLUMN phase VARCHAR(32);
ALTER TABLE evaluation ADD COLUMN progress_done INTEGER;
ALTER TABLE evaluation ADD COLUMN progress_total INTEGER;
