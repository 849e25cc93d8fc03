package dev.anvil.llm.serve;

import dev.anvil.llm.generate.Generation;

/**
 * What one choice of a request produced since its previous delta.
 *
 * @param choice which of the request's {@code n} completions (0-based)
 * @param text new text (may be empty on the last delta); the texts of a choice concatenate to its final text
 * @param finished null while the choice runs; on its last delta, the whole result: token ids, finish reason, usage
 */
public record Delta(int choice, String text, Generation finished) {
    public boolean isLast() {
        return finished != null;
    }
}
