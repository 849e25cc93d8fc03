package dev.anvil.dataset.clean;

import dev.anvil.dataset.dedup.LongKeyIndex;

import java.util.Arrays;
import java.util.Optional;

/** Removes exact duplicates of a kept record, compared by the hash of the normalised conversation. */
final class DuplicateRule implements CleaningRule {
    private final LongKeyIndex index = new LongKeyIndex();
    private long[] tags = new long[1024];

    @Override
    public String reason() {
        return Rejection.DUPLICATE;
    }

    @Override
    public Optional<String> check(Candidate record) {
        int id = index.find(record.contentHash());
        return id == LongKeyIndex.MISSING ? Optional.empty() : Optional.of("same as " + record.describe(tags[id]));
    }

    @Override
    public void accept(Candidate record) {
        int id = index.add(record.contentHash());
        if (id == tags.length) {
            tags = Arrays.copyOf(tags, tags.length * 2);
        }
        tags[id] = record.tag();
    }
}
