package dev.anvil.dataset.clean;

import java.util.Optional;

/** Removes records the configured {@link UnsafeContentFilter} flags. */
final class UnsafeRule implements CleaningRule {
    private final UnsafeContentFilter filter;

    UnsafeRule(UnsafeContentFilter filter) {
        this.filter = filter;
    }

    @Override
    public String reason() {
        return Rejection.UNSAFE;
    }

    @Override
    public Optional<String> check(Candidate record) {
        return filter.check(record.conversation());
    }
}
