package dev.anvil.dataset.dedup;

import dev.anvil.dataset.ingest.Conversation;
import dev.anvil.dataset.ingest.Message;
import dev.anvil.dataset.ingest.SourceFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NearDuplicateIndexTest {
    private static final double THRESHOLD = 0.8;

    @TempDir
    Path dir;

    private static Conversation text(List<String> words) {
        return new Conversation(List.of(new Message("user", "Question?"),
                new Message("assistant", String.join(" ", words))), SourceFormat.PROMPT_COMPLETION);
    }

    private static List<String> randomWords(Random random, int n) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            words.add("w" + random.nextInt(1_000_000));
        }
        return words;
    }

    @Test
    void lshCurveSitsNearTheThreshold() {
        LshParameters lsh = LshParameters.forThreshold(THRESHOLD, MinHasher.DEFAULT_SIZE);
        assertTrue(lsh.curveThreshold() > 0.6 && lsh.curveThreshold() < THRESHOLD, lsh.toString());
        assertTrue(lsh.candidateProbability(0.85) > 0.95, "misses above the threshold stay rare: " + lsh);
        assertTrue(lsh.candidateProbability(0.4) < 0.05, "few candidates far below it: " + lsh);
    }

    /** No layout reaches the usual recall at low thresholds; the most sensitive one still finds clear pairs. */
    @Test
    void lowThresholdsGetTheMostSensitiveLayout() {
        for (double threshold : new double[]{0.25, 0.1, 0.001}) {
            LshParameters lsh = LshParameters.forThreshold(threshold, MinHasher.DEFAULT_SIZE);
            assertEquals(new LshParameters(LshParameters.MAX_BANDS, 1), lsh, "threshold " + threshold);
            assertTrue(lsh.candidateProbability(0.5) > 0.99, lsh.toString());
        }
    }

    @Test
    void minHashAgreementEstimatesJaccard() {
        Random random = new Random(7);
        List<String> base = randomWords(random, 200);
        List<String> edited = new ArrayList<>(base);
        for (int i = 0; i < 200; i += 10) {
            edited.set(i, "changed" + i);
        }
        double exact = TextFingerprints.jaccard(TextFingerprints.shingleSet(text(base)),
                TextFingerprints.shingleSet(text(edited)));
        ConversationSigner signer = new ConversationSigner(MinHasher.DEFAULT_SIZE);
        int[] a = signer.signature(text(base));
        int[] b = signer.signature(text(edited));
        int agree = 0;
        for (int i = 0; i < a.length; i++) {
            agree += a[i] == b[i] ? 1 : 0;
        }
        double estimate = agree / (double) a.length;
        // Standard error of a 128-position estimate at J ~ 0.55 is about 0.044; allow three of them.
        assertEquals(exact, estimate, 0.13, "exact " + exact + " estimate " + estimate);
    }

    /** Pairs well above the threshold are found, pairs well below are not; tolerance: 3 % of each group. */
    @Test
    void thresholdSeparatesSimilarFromDissimilarPairs() throws IOException {
        Random random = new Random(42);
        int above = 0;
        int foundAbove = 0;
        int below = 0;
        int foundBelow = 0;
        try (NearDuplicateIndex index = new NearDuplicateIndex(THRESHOLD, MinHasher.DEFAULT_SIZE,
                dir.resolve("sig.bin"))) {
            ConversationSigner signer = new ConversationSigner(MinHasher.DEFAULT_SIZE);
            for (int pair = 0; pair < 400; pair++) {
                List<String> original = randomWords(random, 60);
                List<String> variant = new ArrayList<>(original);
                int edits = random.nextInt(12);
                for (int e = 0; e < edits; e++) {
                    variant.set(random.nextInt(variant.size()), "edit" + random.nextInt());
                }
                double exact = TextFingerprints.jaccard(TextFingerprints.shingleSet(text(original)),
                        TextFingerprints.shingleSet(text(variant)));
                index.add(signer.signature(text(original)), pair + 1);
                long match = index.findMatch(signer.signature(text(variant)));
                if (exact >= THRESHOLD + 0.07) {
                    above++;
                    foundAbove += match == pair + 1 ? 1 : 0;
                } else if (exact <= THRESHOLD - 0.15) {
                    below++;
                    foundBelow += match != NearDuplicateIndex.NO_MATCH ? 1 : 0;
                }
            }
        }
        assertTrue(above > 50 && below > 50, "both groups populated: " + above + ", " + below);
        assertTrue(foundAbove >= above * 0.97, foundAbove + " of " + above + " similar pairs found");
        assertTrue(foundBelow <= below * 0.03, foundBelow + " of " + below + " dissimilar pairs matched");
    }

    @Test
    void exactHashIgnoresWhitespaceAndNormalisationButKeepsCase() {
        Conversation a = text(List.of("Caf\u00e9", "au", "lait"));
        Conversation b = new Conversation(List.of(new Message("user", "  Question? "),
                new Message("assistant", "Cafe\u0301\n au   lait")), SourceFormat.ALPACA);
        Conversation c = text(List.of("cafe\u0301", "au", "lait"));
        assertEquals(TextFingerprints.contentHash(a), TextFingerprints.contentHash(b));
        assertNotEquals(TextFingerprints.contentHash(a), TextFingerprints.contentHash(c));
    }
}
