package dev.anvil.dataset.version;

import java.util.Map;

/**
 * {@code manifest.json} of a version folder: everything needed to trust and reproduce the folder without the
 * database (the report, the lineage and the checksum of every file).
 */
public record Manifest(DatasetVersionView version, Map<String, FileChecksum> files) {
}
