-- Dataset names follow the data directory's one name rule (events: DataNames), up to 128 characters.
-- Portable between H2 and PostgreSQL; widening a VARCHAR keeps every stored value and the foreign key.
ALTER TABLE dataset_version ALTER COLUMN dataset_name SET DATA TYPE VARCHAR(128);
ALTER TABLE dataset ALTER COLUMN name SET DATA TYPE VARCHAR(128);
