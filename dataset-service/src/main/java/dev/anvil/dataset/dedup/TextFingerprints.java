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

    /**
     * The exact-comparison hashes of a conversation, computed in one walk over its text: the prompt turns are a
     * prefix of the conversation, so the whole conversation's hash continues from the prompt's.
     *
     * @param content   hash of the whole normalised conversation ({@link #contentHash})
     * @param hasPrompt whether some turn precedes the last assistant turn
     * @param prompt    hash of the normalised prompt ({@link #promptHash})
     * @param answer    hash of the normalised final answer ({@link #answerHash})
     */
    public record Hashes(long content, boolean hasPrompt, long prompt, long answer) {
    }

    public static Hashes hashes(Conversation conversation) {
        List<Message> messages = conversation.messages();
        int last = lastAssistant(conversation);
        int promptEnd = Math.max(0, last);
        long running = feedTurns(Hashing.FNV_OFFSET, messages, 0, promptEnd);
        long prompt = Hashing.mix(running);
        long content = Hashing.mix(feedTurns(running, messages, promptEnd, messages.size()));
        long answer = last < 0 ? 0 : turnsHash(messages, last, last + 1);
        return new Hashes(content, last > 0, prompt, answer);
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
        return Hashing.mix(feedTurns(Hashing.FNV_OFFSET, messages, from, to));
    }

    private static long feedTurns(long hash, List<Message> messages, int from, int to) {
        for (int i = from; i < to; i++) {
            Message message = messages.get(i);
            hash = feed(hash, message.role());
            hash = Hashing.step(hash, '\u0001');
            hash = feedNormalized(hash, message.content());
            hash = Hashing.step(hash, '\u0002');
        }
        return hash;
    }

    private static long feed(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = Hashing.step(hash, text.charAt(i));
        }
        return hash;
    }

    /**
     * Feeds the text's NFC form with whitespace collapsed. The text is hashed as it is while every character is below
     * U+0300 (then it is its own NFC form, see {@link #nfc}); only at the first character that may not be is it
     * normalised and hashed again, so the common case reads the text once.
     */
    private static long feedNormalized(long hash, String text) {
        long fed = feedCollapsed(hash, text, true);
        return fed != NEEDS_NFC ? fed : feedCollapsed(hash, nfc(text), false);
    }

    /**
     * Returned by {@link #feedCollapsed} when a character at or above U+0300 stops it. A text whose hash happens to be
     * this value is merely hashed twice: its NFC form is itself.
     */
    private static final long NEEDS_NFC = 0;

    private static long feedCollapsed(long hash, String text, boolean stopBeforeNfc) {
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (stopBeforeNfc && c >= NFC_STABLE_BELOW) {
                return NEEDS_NFC;
            }
            if (c < 128 ? ASCII_SPACE[c] : Character.isWhitespace(c)) {
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
            // The role marker word: the hash of "\u0000" + role, without building that string per turn.
            buffer.addWord(Hashing.mix(feed(Hashing.step(Hashing.FNV_OFFSET, '\u0000'), message.role())));
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

    /** Below this every character is stable under NFC and composes with nothing (the combining marks start here). */
    private static final char NFC_STABLE_BELOW = '\u0300';
    private static final boolean[] ASCII_WORD = new boolean[128];
    private static final boolean[] ASCII_SPACE = new boolean[128];
    private static final char[] ASCII_LOWER = new char[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_WORD[c] = Character.isLetterOrDigit(c);
            ASCII_SPACE[c] = Character.isWhitespace(c);
            ASCII_LOWER[c] = Character.toLowerCase(c);
        }
    }

    /**
     * The NFC form of a text. Below U+0300 (where the combining marks start) every character is stable under NFC and
     * composes with nothing, so such a text, the common case, is returned after one cheap scan.
     */
    static String nfc(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= NFC_STABLE_BELOW) {
                return Normalizer.isNormalized(text, Normalizer.Form.NFC)
                        ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
            }
        }
        return text;
    }

    /** Adds the words of the text's NFC form; like {@link #feedNormalized}, normalises only when it may matter. */
    private static void addWords(String text, ShingleBuffer buffer) {
        int mark = buffer.wordCount();
        if (!addWords(text, buffer, true)) {
            buffer.truncateWords(mark);
            addWords(nfc(text), buffer, false);
        }
    }

    /** False, having added some words, when {@code stopBeforeNfc} and a character at or above U+0300 is met. */
    private static boolean addWords(String text, ShingleBuffer buffer, boolean stopBeforeNfc) {
        long word = Hashing.FNV_OFFSET;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128) {
                if (ASCII_WORD[c]) {
                    word = Hashing.step(word, ASCII_LOWER[c]);
                    inWord = true;
                } else if (inWord) {
                    buffer.addWord(Hashing.mix(word));
                    word = Hashing.FNV_OFFSET;
                    inWord = false;
                }
                continue;
            }
            if (stopBeforeNfc && c >= NFC_STABLE_BELOW) {
                return false;
            }
            if (Character.isIdeographic(c)) {
                if (inWord) {
                    buffer.addWord(Hashing.mix(word));
                    inWord = false;
                }
                buffer.addWord(Hashing.mix(Hashing.step(Hashing.FNV_OFFSET, c)));
                word = Hashing.FNV_OFFSET;
            } else if (Character.isLetterOrDigit(c)) {
                word = Hashing.step(word, Character.toLowerCase(c));
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
        return true;
    }
}
