-- Generation metrics: how the sides answered (settings as JSON), and per example each side's answer and its
-- sentence-level scores (JSON objects, metric name to value).
ALTER TABLE evaluation ADD COLUMN generation_json TEXT;
ALTER TABLE evaluation_example ADD COLUMN baseline_output TEXT;
ALTER TABLE evaluation_example ADD COLUMN candidate_output TEXT;
ALTER TABLE evaluation_example ADD COLUMN baseline_scores_json TEXT;
ALTER TABLE evaluation_example ADD COLUMN candidate_scores_json TEXT;
