package dev.anvil.llm.score;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.text.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scoring on the real aidreams260K against transformers' NLL (golden/aidreams260K_golden.json). */
class ScorerTest {

    /** Stated tolerance for per-token and mean NLL against transformers (float32 both sides). */
    static final double TOLERANCE = 1e-4;
    /** Batched (padded) against unbatched: the same float32 arithmetic up to summation order. */
    static final double BATCH_TOLERANCE = 1e-5;

    static Scorer scorer;
    static Tokenizer tokenizer;
    static JsonNode golden;

    @BeforeAll
    static void load() {
        scorer = new Scorer(LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults()));
        tokenizer = Tokenizer.load(Golden.model("aidreams260K"));
        golden = Golden.json(Golden.golden("aidreams260K_golden.json"));
    }

    static void assertMatchesGolden(TokenScores scores) {
        JsonNode expected = golden.get("token_nll");
        assertEquals(expected.size(), scores.nll().length);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).asDouble(), scores.nll()[i], TOLERANCE, "NLL of token " + (i + 1));
        }
        assertEquals(golden.get("mean_nll").asDouble(), scores.meanNll(), TOLERANCE);
        // exp() amplifies the mean's error by the perplexity (about 21).
        assertEquals(golden.get("perplexity").asDouble(), scores.perplexity(), TOLERANCE * 25);
    }

    @Test
    void perTokenNllMeanAndPerplexityMatchTransformers() {
        assertMatchesGolden(scorer.score(Golden.ids(golden.get("nll_ids"))));
    }

    @Test
    void textIsTokenizedWithBosAndScored() {
        TokenScores scores = scorer.scoreText(tokenizer, golden.get("nll_text").asText());
        assertArrayEquals(Golden.ids(golden.get("nll_ids")), scores.ids());
        assertMatchesGolden(scores);
    }

    @Test
    void batchedEqualsUnbatched() {
        long[] nllIds = Golden.ids(golden.get("nll_ids"));
        long[] promptIds = Golden.ids(golden.get("prompt_ids"));
        long[] shortIds = {1, 303, 281};
        List<TokenScores> batch = scorer.score(List.of(shortIds, nllIds, promptIds), null);
        long[][] each = {shortIds, nllIds, promptIds};
        for (int i = 0; i < each.length; i++) {
            double[] alone = scorer.score(each[i]).nll();
            double[] batched = batch.get(i).nll();
            assertEquals(alone.length, batched.length);
            for (int t = 0; t < alone.length; t++) assertEquals(alone[t], batched[t], BATCH_TOLERANCE, "seq " + i + " t " + t);
        }
        assertMatchesGolden(batch.get(1));
    }

    @Test
    void maskedPositionsDoNotCount() {
        long[] ids = Golden.ids(golden.get("nll_ids"));
        boolean[] secondHalf = new boolean[ids.length - 1];
        Arrays.fill(secondHalf, 19, secondHalf.length, true);
        TokenScores masked = scorer.score(List.of(ids), List.of(secondHalf)).get(0);
        double[] all = scorer.score(ids).nll();

        double expectedSum = 0;
        for (int i = 19; i < all.length; i++) expectedSum += all[i];
        assertEquals(secondHalf.length - 19, masked.countedTokens());
        assertEquals(expectedSum, masked.sumNll(), 1e-9);
        assertEquals(expectedSum / masked.countedTokens(), masked.meanNll(), 1e-9);
        assertTrue(Math.abs(masked.meanNll() - golden.get("mean_nll").asDouble()) > 0.05,
                "the masked mean differs from the full one");
    }

    @Test
    void choicesPickTheGoldenGreedyContinuationOverAPerturbedOne() {
        long[] prompt = Golden.ids(golden.get("prompt_ids"));
        long[] full = Golden.ids(golden.get("greedy_prompt_40"));
        long[] greedy = Arrays.copyOfRange(full, prompt.length, prompt.length + 12);
        long[] perturbed = greedy.clone();
        perturbed[3] = 300;
        perturbed[8] = 301;

        ChoiceScores scores = scorer.choices(prompt, List.of(perturbed, greedy));
        assertEquals(1, scores.bestBySum());
        assertEquals(1, scores.bestByMean());
        ChoiceScores.Choice g = scores.choices().get(1);
        assertEquals(g.logLikelihood() / 12, g.meanLogLikelihood(), 1e-9);

        // The continuation's log-likelihood is the masked tail of the whole sequence's scores.
        long[] whole = Arrays.copyOf(prompt, prompt.length + 12);
        System.arraycopy(greedy, 0, whole, prompt.length, 12);
        double[] nll = scorer.score(whole).nll();
        double tail = 0;
        for (int i = prompt.length - 1; i < nll.length; i++) tail -= nll[i];
        assertEquals(tail, g.logLikelihood(), BATCH_TOLERANCE);
    }

    @Test
    void textChoicesUseTheBoundaryTokenizationOfTheWhole() {
        String context = golden.get("prompt").asText();
        ChoiceScores scores = scorer.choices(tokenizer, context,
                List.of(" Contrast edges sharpen, a kaleidoscope", " Purple walrus spoons the quiet tax form"));
        assertEquals(0, scores.bestBySum());
        assertEquals(0, scores.bestByMean());
    }

    @Test
    void badInputsAreRejectedWithTheReason() {
        String tooShort = assertThrows(IllegalArgumentException.class, () -> scorer.score(new long[]{1})).getMessage();
        assertTrue(tooShort.contains("2 to 128"), tooShort);
        String mask = assertThrows(IllegalArgumentException.class,
                () -> scorer.score(List.of(new long[]{1, 2, 3}), List.of(new boolean[3]))).getMessage();
        assertTrue(mask.contains("one per predicted token (2)"), mask);
        String range = assertThrows(IllegalArgumentException.class, () -> scorer.score(new long[]{1, 9999}))
                .getMessage();
        assertTrue(range.contains("9999"), range);
        String adapter = assertThrows(IllegalArgumentException.class, () -> scorer.withAdapter("nope")).getMessage();
        assertTrue(adapter.contains("'nope' is not attached"), adapter);
    }
}
