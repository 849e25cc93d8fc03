package dev.anvil.gateway.safety;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streamed answers: a finding split across deltas is caught, nothing is lost or sent twice, at most the window is held
 * back, and what goes out equals the whole text's redaction however the text is cut into deltas.
 */
class StreamRedactorTest {
    private final Redactor redactor = new Settings().terms("secret", "project falcon").patterns("ticket-\\d{4}")
            .responseFilters(Settings.Filters.terms("launch codes")).rules().answers();

    /** Feeds the deltas and finishes; returns what went out, in the pieces it went out in. */
    private static List<String> stream(StreamRedactor stream, String... deltas) {
        List<String> out = new ArrayList<>();
        for (String delta : deltas) out.add(stream.feed(delta));
        out.add(stream.finish());
        return out;
    }

    @Test
    void aTermSplitAcrossDeltasIsMasked() {
        StreamRedactor stream = new StreamRedactor(redactor, 16);
        List<String> out = stream(stream, "The se", "c", "ret of Project Fal", "con is out, with ticket-12",
                "34 as proof.");
        assertEquals("The [REDACTED] of [REDACTED] is out, with [REDACTED] as proof.", String.join("", out));
        assertEquals(Map.of("term", 2, "pattern", 1), stream.result().counts());
    }

    @Test
    void anEmailSplitInThreeDeltasIsMasked() {
        StreamRedactor stream = new StreamRedactor(redactor, 64);
        assertEquals("Write to [EMAIL] today.",
                String.join("", stream(stream, "Write to jane.d", "oe@exam", "ple.org today.")));
        assertEquals(Map.of("email", 1), stream.result().counts());
    }

    @Test
    void atMostTheWindowIsHeldBack() {
        StreamRedactor stream = new StreamRedactor(redactor, 10);
        StringBuilder in = new StringBuilder();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String delta = "word" + i + " ";
            in.append(delta);
            out.append(stream.feed(delta));
            assertTrue(in.length() - out.length() <= 10, "held back after delta " + i + ": "
                    + (in.length() - out.length()));
        }
        out.append(stream.finish());
        assertEquals(in.toString(), out.toString(), "nothing lost, nothing twice");
    }

    @Test
    void surrogatePairsAreNeverPartedAndOtherScriptsAreMatched() {
        Redactor terms = new Settings().terms("секрет").rules().answers();
        StreamRedactor stream = new StreamRedactor(terms, 7);
        List<String> out = stream(stream, "😀😀", "😀 СЕК", "РЕТ 🎉", "🎉🎉 ok 😀");
        for (String piece : out) {
            assertFalse(!piece.isEmpty() && Character.isHighSurrogate(piece.charAt(piece.length() - 1)),
                    "a piece ends inside an emoji: " + piece);
            assertFalse(!piece.isEmpty() && Character.isLowSurrogate(piece.charAt(0)), "a piece starts inside one");
        }
        assertEquals("😀😀😀 [REDACTED] 🎉🎉🎉 ok 😀", String.join("", out));
    }

    @Test
    void aResponseFilterEndsTheStreamBeforeItsMatch() {
        StreamRedactor stream = new StreamRedactor(redactor, 16);
        StringBuilder out = new StringBuilder();
        for (String delta : List.of("Here are the la", "unch co", "des: 1234", " and more", " text after")) {
            out.append(stream.feed(delta));
        }
        out.append(stream.finish());
        assertEquals("Here are the ", out.toString());
        assertTrue(stream.cut());
        assertTrue(stream.result().cut());
    }

    @Test
    void aMatchLongerThanTheWindowIsMaskedInPiecesAndNothingOfItLeaks() {
        Redactor digits = new Settings().pii(false).patterns("\\d+").rules().answers();
        StreamRedactor stream = new StreamRedactor(digits, 4);
        String out = String.join("", stream(stream, "pin 12", "3456", "7890", "12 end"));
        assertFalse(out.matches(".*\\d.*"), out);
        assertTrue(out.startsWith("pin [REDACTED]") && out.endsWith("[REDACTED] end"), out);
    }

    private static final String[] PIECES = {"the", "secret", "Secret", "SECRET.", "project", "falcon",
            "Project Falcon", "ticket-2024", "ticket-20245", "jane.doe@example.org", "bob@mail.example.com",
            "+44 20 7946 0958", "555-123-4567", "4111 1111 1111 1111", "192.168.1.20", "fe80::1",
            "DE89 3704 0044 0532 0130 00", "secretly", "😀", "Grüße", "секрет", ",", ".", "\n", "a", "in",
            "launch codes", "launch", "codes", "x@y"};

    /**
     * The property: for random texts cut into random deltas, the stream makes what the whole text makes, its text,
     * counts and cut alike, with any window at least as long as the longest finding it meets. Numbers are set apart
     * by a word: the PII detectors take digits across spaces as one candidate, and a candidate that a check turns
     * down (a card number failing Luhn) hides the numbers it spans, so two numbers side by side may be found
     * differently by a search of the whole text and one that starts where a stream stopped sending
     * (docs/gateway-api.md says so).
     */
    @Test
    void streamingEqualsWholeTextRedactionForAnyChunking() {
        Random random = new Random(20261206);
        for (int trial = 0; trial < 3000; trial++) {
            String whole = randomText(random, true);
            List<String> deltas = randomDeltas(whole, random);
            int window = Math.max(longestFinding(deltas), 16 + random.nextInt(48));
            StreamRedactor stream = new StreamRedactor(redactor, window);
            String out = streamed(stream, deltas);
            Redaction expected = redactor.redact(whole);
            assertEquals(expected.text(), out, "window " + window + ", text: " + whole);
            assertEquals(expected, stream.result(), "counts and cut, text: " + whole);
        }
    }

    private static String randomText(Random random, boolean numbersApart) {
        StringBuilder text = new StringBuilder();
        int words = 1 + random.nextInt(30);
        String previous = "";
        for (int w = 0; w < words; w++) {
            String piece = PIECES[random.nextInt(PIECES.length)];
            boolean numbers = hasDigit(previous) || hasDigit(piece);
            String separator = random.nextInt(4) == 0 ? "" : " ";
            text.append(w == 0 ? "" : numbersApart && numbers ? " and " : separator).append(piece);
            previous = piece;
        }
        return text.toString();
    }

    private static boolean hasDigit(String piece) {
        return piece.chars().anyMatch(Character::isDigit);
    }

    private static String streamed(StreamRedactor stream, List<String> deltas) {
        StringBuilder out = new StringBuilder();
        for (String delta : deltas) out.append(stream.feed(delta));
        return out.append(stream.finish()).toString();
    }

    /**
     * The longest finding in the text as it stands after each delta: the promise holds for findings no longer than
     * the window, and one at the end of the text may be longer than it turns out to be (an e-mail address before the
     * letters that make it none); a longer one is masked in pieces, the safe way.
     */
    private int longestFinding(List<String> deltas) {
        int longest = 0;
        StringBuilder text = new StringBuilder();
        for (String delta : deltas) {
            text.append(delta);
            for (Finding f : redactor.find(text.toString())) longest = Math.max(longest, f.end() - f.start());
        }
        return longest;
    }

    /** {@code text} cut at random code point boundaries (the engine never parts a character), empty deltas too. */
    private static List<String> randomDeltas(String text, Random random) {
        List<String> deltas = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int end = Math.min(text.length(), at + random.nextInt(12));
            if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) end++;
            deltas.add(text.substring(at, end));
            at = end;
        }
        return deltas;
    }
}
