package dev.anvil.dataset.clean;

import dev.anvil.dataset.ingest.Message;

import java.util.Optional;

/** Removes records whose turns hold more characters, all together, than the configured maximum. */
final class TooLongRule implements CleaningRule {
    private final int maxChars;

    TooLongRule(int maxChars) {
        this.maxChars = maxChars;
    }

    @Override
    public String reason() {
        return Rejection.TOO_LONG;
    }

    @Override
    public Optional<String> check(Candidate record) {
        long chars = 0;
        for (Message message : record.conversation().messages()) {
            chars += message.content().length();
        }
        return chars > maxChars
                ? Optional.of(chars + " characters, more than maxRecordChars = " + maxChars)
                : Optional.empty();
    }
}
