package dev.anvil.dataset.version;

import dev.anvil.dataset.clean.CleaningSettings;

import java.time.Instant;
import java.util.Map;

/**
 * A version as clients see it: the upload report and the lineage (parent, settings, creation time, position).
 *
 * @param removed  removed input records by rule ({@code duplicate}, {@code unsafe}, ...)
 * @param location the version's folder relative to the data directory
 */
public record DatasetVersionView(String dataset, String version, String parent, RecordCounts records,
                                 Map<String, Long> removed, long piiRedacted, long conflicts,
                                 Map<String, Object> stats, CleaningSettings settings, Instant createdAt,
                                 int sequence, String location) {

    /** Records read, kept after cleaning, and the two sides of the split. */
    public record RecordCounts(long input, long accepted, long train, long validation) {
    }
}
