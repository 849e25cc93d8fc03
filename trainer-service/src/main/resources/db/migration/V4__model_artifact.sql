-- The Hugging Face model a run produced: the full fine-tune, or the adapter merged into its base when asked for.
ALTER TABLE experiment_record ADD COLUMN model_path VARCHAR(1024);
