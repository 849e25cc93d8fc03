package dev.anvil.dataset.clean;

import dev.anvil.dataset.dedup.NearDuplicateIndex;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** Removes records whose word shingles are at least {@code threshold}-similar (Jaccard) to a kept record's. */
final class NearDuplicateRule implements CleaningRule {
    private final NearDuplicateIndex index;
    private final double threshold;

    NearDuplicateRule(NearDuplicateIndex index, double threshold) {
        this.index = index;
        this.threshold = threshold;
    }

    @Override
    public String reason() {
        return Rejection.NEAR_DUPLICATE;
    }

    @Override
    public Optional<String> check(Candidate record) throws IOException {
        int[] signature = record.signature();
        if (signature == null) {
            return Optional.empty();
        }
        long match = index.findMatch(signature);
        return match == NearDuplicateIndex.NO_MATCH ? Optional.empty()
                : Optional.of(String.format(Locale.ROOT, "near duplicate of %s (estimated Jaccard >= %.2f)",
                record.describe(match), threshold));
    }

    @Override
    public void accept(Candidate record) throws IOException {
        int[] signature = record.signature();
        if (signature != null) {
            index.add(signature, record.tag());
        }
    }
}
