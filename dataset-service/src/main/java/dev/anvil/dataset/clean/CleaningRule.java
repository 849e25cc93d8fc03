package dev.anvil.dataset.clean;

import java.io.IOException;
import java.util.Optional;

/** One cleaning rule: decides whether a record is removed, under its own reason. */
interface CleaningRule {
    /** The {@link Rejection} reason this rule removes records under. */
    String reason();

    /** Why the record is removed (the rejection detail), or empty to keep it. */
    Optional<String> check(Candidate record) throws IOException;

    /** The record passed every rule and is kept; stateful rules remember it here. */
    default void accept(Candidate record) throws IOException {
    }
}
