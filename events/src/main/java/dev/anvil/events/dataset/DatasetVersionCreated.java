package dev.anvil.events.dataset;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

import java.util.Map;

/**
 * A new immutable dataset version has been written (published only after its files are in place).
 *
 * @param dataset     the dataset name
 * @param version     the content hash that identifies the version
 * @param parent      the version it was derived from, or null for the first one
 * @param records     how many records went in and where they ended up
 * @param removed      count of removed input records by reason ({@code duplicate}, {@code unsafe}, ...)
 * @param piiRedacted how many PII spans were replaced by placeholders
 * @param conflicts   how many prompts had conflicting answers
 * @param location    the version's folder relative to the data directory, e.g. {@code datasets/faq/3f2a...}
 */
public record DatasetVersionCreated(String dataset, String version, String parent, RecordCounts records,
                                    Map<String, Long> removed, long piiRedacted, long conflicts, String location)
        implements EventData {

    public DatasetVersionCreated {
        Require.present(dataset, "dataset");
        Require.present(version, "version");
        Require.present(records, "records");
        Require.present(location, "location");
        removed = removed == null ? Map.of() : Map.copyOf(removed);
    }

    @Override
    public String subject() {
        return dataset;
    }

    /** Record counts of a version: read, accepted after cleaning, and the two sides of the split. */
    public record RecordCounts(long input, long accepted, long train, long validation) {
    }
}
