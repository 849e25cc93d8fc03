package dev.anvil.dataset.dedup;

import dev.anvil.dataset.ingest.Conversation;
import dev.anvil.dataset.ingest.Message;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;

/**
 * Fixed-size fingerprints of a conversation, computed without building normalised copies of its text.
 *
 * <p>Normalisation for exact comparison: Unicode NFC, runs of whitespace collapsed to one space, leading and trailing
 * whitespace dropped, case kept; roles are already canonical. The record's source format is not part of it: the same
 * conversation uploaded as Alpaca and as prompt/completion is a duplicate.
 *
 * <p>Shingles for near-duplicate detection: word 3-grams over the lower-cased non-system turns, with a marker word
 * for each turn's role. System prompts are left out on purpose: many datasets repeat one long system prompt on every
 * record, which would make unrelated records look alike. A word is a run of letters or digits; each CJK ideograph is
 * a word of its own, since those scripts do not separate words by spaces.
 */
public final class TextFingerprints {
    public static final int SHINGLE_WORDS = 3;

    private TextFingerprints() {
    }

    /** Index of the last assistant turn, or -1. */
    public static int lastAssistant(Conversation conversation) {
        List<Message> messages = conversation.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals(Message.ASSISTANT)) {
                return i;
            }
        }
        return -1;
    }

    /** Hash of the whole normalised conversation. */
    public static long contentHash(Conversation conversation) {
        return turnsHash(conversation.messages(), 0, conversation.messages().size());
    }

    /** Hash of the normalised prompt: every turn before the last assistant turn. */
    public static long promptHash(Conversation conversation) {
        return turnsHash(conversation.messages(), 0, Math.max(0, lastAssistant(conversation)));
    }

    /** Hash of the normalised final answer (the last assistant turn). */
    public static long answerHash(Conversation conversation) {
        int last = lastAssistant(conversation);
        return last < 0 ? 0 : turnsHash(conversation.messages(), last, last + 1);
    }

    private static long turnsHash(List<Message> messages, int from, int to) {
        long hash = Hashing.FNV_OFFSET;
        for (int i = from; i < to; i++) {
            Message message = messages.get(i);
            hash = feed(hash, message.role());
            hash = Hashing.step(hash, '\u0001');
            hash = feedNormalized(hash, message.content());
            hash = Hashing.step(hash, '\u0002');
        }
        return Hashing.mix(hash);
    }

    private static long feed(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = Hashing.step(hash, text.charAt(i));
        }
        return hash;
    }

    private static long feedNormalized(long hash, String text) {
        String nfc = nfc(text);
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (Character.isWhitespace(c)) {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) {
                hash = Hashing.step(hash, ' ');
                pendingSpace = false;
            }
            hash = Hashing.step(hash, c);
            started = true;
        }
        return hash;
    }

    /**
     * Writes the shingle hashes of the conversation into {@code buffer} (grown when needed) and returns how many
     * there are; repeated shingles are kept (MinHash ignores them).
     */
    public static int shingles(Conversation conversation, ShingleBuffer buffer) {
        buffer.clearWords();
        for (Message message : conversation.messages()) {
            if (message.role().equals(Message.SYSTEM)) {
                continue;
            }
            buffer.addWord(Hashing.mix(feed(Hashing.FNV_OFFSET, "\u0000" + message.role())));
            addWords(message.content(), buffer);
        }
        return buffer.shingle(SHINGLE_WORDS);
    }

    /** The distinct shingles, sorted: for exact Jaccard similarity in tests and diagnostics. */
    public static long[] shingleSet(Conversation conversation) {
        ShingleBuffer buffer = new ShingleBuffer();
        int n = shingles(conversation, buffer);
        return Arrays.stream(buffer.shingles(), 0, n).distinct().sorted().toArray();
    }

    /** Exact Jaccard similarity of two sorted distinct sets. */
    public static double jaccard(long[] a, long[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        int union = a.length + b.length - common;
        return union == 0 ? 1.0 : (double) common / union;
    }

    private static final boolean[] ASCII_WORD = new boolean[128];
    private static final char[] ASCII_LOWER = new char[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_WORD[c] = Character.isLetterOrDigit(c);
            ASCII_LOWER[c] = Character.toLowerCase(c);
        }
    }

    /**
     * The NFC form of a text. Below U+0300 (where the combining marks start) every character is stable under NFC and
     * composes with nothing, so such a text, the common case, is returned after one cheap scan.
     */
    static String nfc(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '\u0300') {
                return Normalizer.isNormalized(text, Normalizer.Form.NFC)
                        ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
            }
        }
        return text;
    }

    private static void addWords(String text, ShingleBuffer buffer) {
        String nfc = nfc(text);
        long word = Hashing.FNV_OFFSET;
        boolean inWord = false;
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (Character.isIdeographic(c)) {
                if (inWord) {
                    buffer.addWord(Hashing.mix(word));
                    inWord = false;
                }
                buffer.addWord(Hashing.mix(Hashing.step(Hashing.FNV_OFFSET, c)));
                word = Hashing.FNV_OFFSET;
            } else if (c < 128 ? ASCII_WORD[c] : Character.isLetterOrDigit(c)) {
                word = Hashing.step(word, c < 128 ? ASCII_LOWER[c] : Character.toLowerCase(c));
                inWord = true;
            } else if (inWord) {
                buffer.addWord(Hashing.mix(word));
                word = Hashing.FNV_OFFSET;
                inWord = false;
            }
        }
        if (inWord) {
            buffer.addWord(Hashing.mix(word));
        }
    }
}
