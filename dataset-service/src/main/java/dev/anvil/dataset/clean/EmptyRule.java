package dev.anvil.dataset.clean;

import dev.anvil.dataset.dedup.TextFingerprints;
import dev.anvil.dataset.ingest.Message;

import java.util.Optional;

/** Removes records with nothing to learn: every turn blank, or a blank final answer. */
final class EmptyRule implements CleaningRule {
    @Override
    public String reason() {
        return Rejection.EMPTY;
    }

    @Override
    public Optional<String> check(Candidate record) {
        boolean allBlank = record.conversation().messages().stream().map(Message::content).allMatch(String::isBlank);
        if (allBlank) {
            return Optional.of("every turn is empty or whitespace");
        }
        int last = TextFingerprints.lastAssistant(record.conversation());
        if (last >= 0 && record.conversation().messages().get(last).content().isBlank()) {
            return Optional.of("the final assistant answer is empty or whitespace");
        }
        return Optional.empty();
    }
}
