package dev.anvil.gateway.safety;

import dev.anvil.llm.generate.FinishReason;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.serve.Delta;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One streamed answer through the safety rules, each choice with a {@link StreamRedactor} of its own: a delta's text
 * goes on once it is safe to send, and a choice's last delta carries the rest and its redacted result. A response
 * filter ends its choice at once, with finish reason {@code content_filter}; what the engine still generates for it
 * is dropped. Used by the one thread that writes the stream.
 */
public final class ScreenedStream {
    private static final ScreenedStream UNSCREENED = new ScreenedStream(0, null, null, 0, null);

    private final StreamRedactor[] redactors;
    /** Each choice's text as the engine gave it: what a choice a filter ended had generated. */
    private final StringBuilder[] received;
    private final boolean[] ended;
    private final Consumer<Redaction> onEnd;
    private final int promptTokens;
    private final Function<String, int[]> tokenizer;
    private boolean endedEarly;

    ScreenedStream(int n, Supplier<StreamRedactor> redactor, Consumer<Redaction> onEnd, int promptTokens,
                   Function<String, int[]> tokenizer) {
        this.redactors = new StreamRedactor[n];
        this.received = new StringBuilder[n];
        for (int i = 0; i < n; i++) {
            redactors[i] = redactor.get();
            received[i] = new StringBuilder();
        }
        this.ended = new boolean[n];
        this.onEnd = onEnd;
        this.promptTokens = promptTokens;
        this.tokenizer = tokenizer;
    }

    /** A stream without rules: its deltas go on as they come. */
    static ScreenedStream unscreened() {
        return UNSCREENED;
    }

    /** What to send of {@code deltas}: their text as far as it is safe, a choice's end with its redacted result. */
    public List<Delta> screen(List<Delta> deltas) {
        if (this == UNSCREENED) return deltas;
        List<Delta> out = new ArrayList<>(deltas.size());
        for (Delta delta : deltas) {
            int choice = delta.choice();
            if (ended[choice]) continue;
            StreamRedactor redactor = redactors[choice];
            received[choice].append(delta.text());
            String text = redactor.feed(delta.text());
            if (delta.isLast()) text += redactor.finish();
            Generation finished = null;
            if (delta.isLast() || redactor.cut()) {
                ended[choice] = true;
                Redaction redaction = redactor.result();
                onEnd.accept(redaction);
                finished = delta.isLast() ? redaction.applyTo(delta.finished()) : filtered(choice, redaction);
                endedEarly |= !delta.isLast();
            }
            out.add(new Delta(choice, text, delta.logprobs(), finished));
        }
        return out;
    }

    /**
     * Whether a filter ended a choice before the engine did: once the stream has ended, its generation is of no more
     * use and should be cancelled.
     */
    public boolean endedEarly() {
        return endedEarly;
    }

    /** The result of a choice a filter ended before its last delta: usage counted from what it had generated. */
    private Generation filtered(int choice, Redaction redaction) {
        int[] generated = tokenizer.apply(received[choice].toString());
        return new Generation(generated, redaction.text(), FinishReason.CONTENT_FILTER,
                new Generation.Usage(promptTokens, generated.length));
    }
}
