package dev.anvil.dataset.ingest;

/** How an uploaded file is laid out; JSON covers both JSON Lines and one JSON array of records (detected). */
public enum UploadFormat {
    JSON, CSV
}
