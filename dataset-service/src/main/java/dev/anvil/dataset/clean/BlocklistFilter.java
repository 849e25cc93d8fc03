package dev.anvil.dataset.clean;

import dev.anvil.dataset.dedup.LongKeyIndex;
import dev.anvil.dataset.ingest.Conversation;
import dev.anvil.dataset.ingest.Message;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Flags records containing blocklisted phrases or patterns, each with a category that becomes the rejection detail.
 *
 * <p>List format, one entry a line: {@code <category>: <phrase>} or {@code <category>: re:<regular expression>};
 * blank lines and lines starting with {@code #} are ignored. Matching is case-insensitive and on whole words: a phrase
 * is a sequence of words (runs of letters and digits) and matches the same word sequence in the text, whatever the
 * punctuation or spacing between them; a regular expression must not be preceded or followed by a letter or digit.
 * Phrases are found by hashing the text's words once and looking the first word up, not by running one regular
 * expression per phrase, so the cost hardly depends on the size of the list.
 */
public final class BlocklistFilter implements UnsafeContentFilter {
    public static final String DEFAULT_LIST = "/dev/anvil/dataset/clean/default-blocklist.txt";

    /** One entry of the list. */
    public record Entry(String category, String value, boolean regex) {
        public Entry {
            if (category == null || category.isBlank() || value == null || value.isBlank()) {
                throw new IllegalArgumentException("a blocklist entry needs a category and a value");
            }
        }
    }

    private record Phrase(String category, String text, long[] words) {
    }

    private record Rule(String category, Pattern pattern) {
    }

    /**
     * The phrases' distinct first words, each with a dense id into {@link #phrasesByFirstWord}. A hash table rather
     * than a binary search over a sorted array: nearly every word of a text misses, and a miss here is one probe
     * whose branch is predictable, where a binary search mispredicts at every level (measured: it took 12 % of the
     * pipeline's CPU with the default list).
     */
    private final LongKeyIndex firstWords = new LongKeyIndex();
    private final List<List<Phrase>> phrasesByFirstWord = new ArrayList<>();
    private final List<Rule> patterns = new ArrayList<>();

    public BlocklistFilter(List<Entry> entries) {
        List<Phrase> phrases = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.regex()) {
                patterns.add(new Rule(entry.category(), Pattern.compile(
                        "(?<![\\p{L}\\p{N}])(?:" + entry.value() + ")(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
                continue;
            }
            long[] words = Words.hashes(entry.value());
            if (words.length == 0) {
                throw new IllegalArgumentException("blocklist phrase '" + entry.value() + "' has no words");
            }
            phrases.add(new Phrase(entry.category(), entry.value(), words));
        }
        for (Phrase phrase : phrases) {
            long first = phrase.words()[0];
            int id = firstWords.find(first);
            if (id == LongKeyIndex.MISSING) {
                id = firstWords.add(first);
                phrasesByFirstWord.add(new ArrayList<>());
            }
            phrasesByFirstWord.get(id).add(phrase);
        }
    }

    /** The list shipped with the service (see {@link #DEFAULT_LIST}). */
    public static BlocklistFilter defaults() {
        try (InputStream in = BlocklistFilter.class.getResourceAsStream(DEFAULT_LIST)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_LIST);
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a list in the format described above. */
    public static BlocklistFilter load(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line; (line = reader.readLine()) != null; ) {
            lines.add(line);
        }
        return new BlocklistFilter(parse(lines));
    }

    public static List<Entry> parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("blocklist line " + (i + 1) + ": expected '<category>: <phrase>'");
            }
            String category = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            boolean regex = value.startsWith("re:");
            entries.add(new Entry(category, regex ? value.substring(3) : value, regex));
        }
        return entries;
    }

    @Override
    public Optional<String> check(Conversation conversation) {
        for (Message message : conversation.messages()) {
            Optional<String> found = check(message.content());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<String> check(String text) {
        if (firstWords.size() > 0) {
            long[] words = Words.hashes(text);
            for (int i = 0; i < words.length; i++) {
                int id = firstWords.find(words[i]);
                if (id == LongKeyIndex.MISSING) {
                    continue;
                }
                for (Phrase phrase : phrasesByFirstWord.get(id)) {
                    if (Arrays.equals(words, i, Math.min(words.length, i + phrase.words().length),
                            phrase.words(), 0, phrase.words().length)) {
                        return Optional.of(phrase.category() + ": matched \"" + phrase.text() + "\"");
                    }
                }
            }
        }
        for (Rule rule : patterns) {
            if (rule.pattern().matcher(text).find()) {
                return Optional.of(rule.category() + ": matched /" + rule.pattern().pattern() + "/");
            }
        }
        return Optional.empty();
    }

    /** Case-folded word hashes: the comparison unit of phrases. */
    private static final class Words {
        private static final boolean[] ASCII_WORD = new boolean[128];
        private static final char[] ASCII_LOWER = new char[128];

        static {
            for (char c = 0; c < 128; c++) {
                ASCII_WORD[c] = Character.isLetterOrDigit(c);
                ASCII_LOWER[c] = Character.toLowerCase(c);
            }
        }

        static long[] hashes(String text) {
            long[] out = new long[16];
            int count = 0;
            long hash = 0xcbf29ce484222325L;
            boolean inWord = false;
            for (int i = 0; i <= text.length(); i++) {
                char c = i < text.length() ? text.charAt(i) : ' ';
                boolean ascii = c < 128;
                if (ascii ? ASCII_WORD[c] : Character.isLetterOrDigit(c)) {
                    hash = (hash ^ (ascii ? ASCII_LOWER[c] : Character.toLowerCase(c))) * 0x100000001b3L;
                    inWord = true;
                } else if (inWord) {
                    if (count == out.length) {
                        out = Arrays.copyOf(out, count * 2);
                    }
                    out[count++] = hash;
                    hash = 0xcbf29ce484222325L;
                    inWord = false;
                }
            }
            return Arrays.copyOf(out, count);
        }
    }
}
