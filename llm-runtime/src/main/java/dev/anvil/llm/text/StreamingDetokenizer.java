package dev.anvil.llm.text;

import java.util.Arrays;

/**
 * Turns a stream of generated ids into text deltas, one {@link #push} per id.
 *
 * <p>Decoding token by token is wrong twice over: a character outside ASCII may span several byte-fallback tokens
 * ({@code <0xE4><0xBD><0xA0>} is 你), and SentencePiece decoders strip the leading space of the first piece, so
 * a piece decoded alone loses its space. This class decodes a short window instead (the approach of vLLM's
 * incremental detokenizer): the tokens since the last emitted boundary, with the previous piece as left context,
 * and emits what the window adds over its context. While the window's text ends in U+FFFD (an incomplete UTF-8
 * sequence) nothing is emitted and the window grows. The concatenation of all deltas plus {@link #finish()} equals
 * {@code tokenizer.decode(allIds, skipSpecialTokens)} whenever the byte-fallback tokens spell valid UTF-8. An invalid
 * byte run is the exception: the ByteFallback decoder then replaces every byte of the run with U+FFFD, valid ASCII
 * bytes before the fault included, which a stream that has already shown them cannot take back.
 *
 * <p>Not thread-safe: one instance per generated sequence.
 */
public final class StreamingDetokenizer {
    private static final char REPLACEMENT = '\uFFFD';

    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids = new int[64];
    private int count;
    /** Start of the left context: the tokens already emitted that the window is decoded after. */
    private int contextStart;
    /** End of what has been emitted: tokens from here on are pending. */
    private int emittedEnd;

    public StreamingDetokenizer(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one id; returns the text it completes, often empty (a partial character, a skipped special token). */
    public String push(int id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
        String context = decode(contextStart, emittedEnd);
        String window = decode(contextStart, count);
        if (window.length() <= context.length() || window.charAt(window.length() - 1) == REPLACEMENT) {
            return "";
        }
        contextStart = emittedEnd;
        emittedEnd = count;
        return window.substring(context.length());
    }

    /** Whatever is still pending at the end of generation, an incomplete character as U+FFFD included. */
    public String finish() {
        String context = decode(contextStart, emittedEnd);
        String window = decode(contextStart, count);
        contextStart = emittedEnd;
        emittedEnd = count;
        return window.length() > context.length() ? window.substring(context.length()) : "";
    }

    /** All ids pushed so far. */
    public int[] ids() {
        return Arrays.copyOf(ids, count);
    }

    private String decode(int from, int to) {
        return from == to ? "" : tokenizer.decode(Arrays.copyOfRange(ids, from, to), skipSpecialTokens);
    }
}
