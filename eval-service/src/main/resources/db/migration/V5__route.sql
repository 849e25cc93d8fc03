-- The route (the gateway's public model name) the evaluated version is meant for, as the training request named it;
-- null when it named none. Published in the evaluation's EvaluationCompleted.
ALTER TABLE evaluation ADD COLUMN route VARCHAR(128);
