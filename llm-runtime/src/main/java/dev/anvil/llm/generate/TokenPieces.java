package dev.anvil.llm.generate;

import dev.anvil.llm.text.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text and bytes of single token ids, as log-probabilities show them. Each id is decoded once and cached.
 *
 * <p>Decoding an id alone is wrong for SentencePiece vocabularies: their decoder strips the leading space of the
 * first piece, so {@code ▁the} alone decodes to "the". The id is therefore decoded after a copy of itself as left
 * context (as {@link dev.anvil.llm.text.StreamingDetokenizer} decodes after the previous piece), and its text is
 * what the second copy adds: " the". Byte-level vocabularies (Llama 3, Qwen2) give the same answer either way.
 *
 * <p>Bytes: a byte-fallback token ({@code <0xE2>}) stands for exactly that byte, which is what OpenAI's
 * {@code bytes} field exists to show (its text alone is U+FFFD). Every other token gives the UTF-8 of its text. This
 * is a best effort: a byte-level vocabulary's token holding part of a character also decodes to U+FFFD, and its
 * bytes are then those of U+FFFD rather than the raw bytes (undoing GPT-2's byte-to-unicode map is not done here).
 */
final class TokenPieces {
    private static final Pattern BYTE_FALLBACK = Pattern.compile("<0x([0-9A-Fa-f]{2})>");
    private static final Piece OUTSIDE_VOCABULARY = new Piece("", new byte[0]);

    /** A token's text and bytes; the arrays are handed out as copies by {@link TokenLogprob}. */
    record Piece(String text, byte[] bytes) {
    }

    private final Tokenizer tokenizer;
    // Filled lazily; Piece is immutable, so a racy double fill would only repeat work.
    private final Piece[] cache;

    TokenPieces(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.cache = new Piece[tokenizer.vocabSize()];
    }

    Piece of(int id) {
        // The model's vocabulary may be padded beyond the tokenizer's (Qwen2): such ids have no text.
        if (id < 0 || id >= cache.length) return OUTSIDE_VOCABULARY;
        Piece piece = cache[id];
        if (piece == null) {
            piece = decode(id);
            cache[id] = piece;
        }
        return piece;
    }

    private Piece decode(int id) {
        String alone = tokenizer.decode(new int[] {id}, false);
        String twice = tokenizer.decode(new int[] {id, id}, false);
        String text = twice.startsWith(alone) && twice.length() > alone.length()
                ? twice.substring(alone.length())
                : alone;
        Matcher fallback = BYTE_FALLBACK.matcher(tokenizer.idToToken(id));
        byte[] bytes = fallback.matches()
                ? new byte[] {(byte) Integer.parseInt(fallback.group(1), 16)}
                : text.getBytes(StandardCharsets.UTF_8);
        return new Piece(text, bytes);
    }
}
