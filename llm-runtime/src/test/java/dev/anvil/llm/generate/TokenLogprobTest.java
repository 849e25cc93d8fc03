package dev.anvil.llm.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.text.Tokenizer;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-token log-probabilities of {@link TextGenerator} on the real aidreams260K, checked against an independent
 * computation: the model run without a cache on the whole sequence so far, log-softmax taken here in double.
 */
class TokenLogprobTest {
    /** Float32 logits of size ~10 through two different paths (cached vs. full forward, float vs. double softmax). */
    static final double TOLERANCE = 1e-4;

    static LlamaModel model;
    static Tokenizer tokenizer;
    static TextGenerator generator;
    static JsonNode golden;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        tokenizer = Tokenizer.load(Golden.model("aidreams260K"));
        generator = new TextGenerator(model, tokenizer);
        golden = Golden.json(Golden.golden("aidreams260K_golden.json"));
    }

    static int[] prompt() {
        return generator.encode(golden.get("prompt").asText());
    }

    /** log_softmax, in double, of the logits {@code model.forward} gives at the last position of {@code ids}. */
    static double[] referenceLogprobs(int[] ids) {
        float[] logits;
        try (NativeScope scope = new NativeScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor all = model.forward(Golden.batchOf(Arrays.stream(ids).asLongStream().toArray()), null);
            logits = Tensors.toFloats(all.select(1, ids.length - 1));
        }
        return logSoftmax(logits);
    }

    static double[] logSoftmax(float[] logits) {
        double max = IntStream.range(0, logits.length).mapToDouble(i -> logits[i]).max().orElseThrow();
        double sum = IntStream.range(0, logits.length).mapToDouble(i -> Math.exp(logits[i] - max)).sum();
        double logZ = max + Math.log(sum);
        return IntStream.range(0, logits.length).mapToDouble(i -> logits[i] - logZ).toArray();
    }

    @Test
    void greedyLogprobsEqualTheFullForwardsLogSoftmax() {
        int[] prompt = prompt();
        Generation g = generator.generate(new GenerationRequest(prompt, SamplingParams.greedy(8).withLogprobs(5)));
        int[] tokens = g.tokenIds();
        assertEquals(8, tokens.length);
        assertEquals(tokens.length, g.logprobs().size(), "one entry per generated token");

        for (int step = 0; step < tokens.length; step++) {
            TokenLogprob lp = g.logprobs().get(step);
            int[] sequence = IntStream.concat(Arrays.stream(prompt), Arrays.stream(tokens, 0, step)).toArray();
            double[] reference = referenceLogprobs(sequence);
            String at = "step " + step;

            assertEquals(tokens[step], lp.tokenId(), at);
            assertEquals(reference[tokens[step]], lp.logprob(), TOLERANCE, at);
            assertEquals(1.0, Arrays.stream(reference).map(Math::exp).sum(), 1e-9, at + ": a distribution");

            Integer[] byLikelihood = IntStream.range(0, reference.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> reference[i]).reversed()).toArray(Integer[]::new);
            assertEquals(5, lp.top().size(), at);
            assertEquals(tokens[step], lp.top().get(0).tokenId(), at + ": the greedy token is the most likely");
            for (int k = 0; k < 5; k++) {
                TokenLogprob.TopLogprob alt = lp.top().get(k);
                assertEquals(byLikelihood[k], alt.tokenId(), at + ", top " + k);
                assertEquals(reference[alt.tokenId()], alt.logprob(), TOLERANCE, at + ", top " + k);
                if (k > 0) assertTrue(alt.logprob() <= lp.top().get(k - 1).logprob(), at + ": sorted descending");
            }
        }
    }

    @Test
    void sampledPenalizedRowsReportTheModelsDistributionNotTheWarpedOne() {
        int[] prompt = prompt();
        SamplingParams warped = TextGeneratorTest.sampled(11, 8).withTemperature(0.7).withRepetitionPenalty(1.5)
                .withPresencePenalty(0.8).withFrequencyPenalty(1.2).withLogprobs(3);
        Generation g = generator.generate(new GenerationRequest(prompt, warped));
        int[] tokens = g.tokenIds();
        for (int step = 0; step < tokens.length; step++) {
            int[] sequence = IntStream.concat(Arrays.stream(prompt), Arrays.stream(tokens, 0, step)).toArray();
            double[] reference = referenceLogprobs(sequence);
            assertEquals(reference[tokens[step]], g.logprobs().get(step).logprob(), TOLERANCE, "step " + step);
            for (TokenLogprob.TopLogprob alt : g.logprobs().get(step).top()) {
                assertEquals(reference[alt.tokenId()], alt.logprob(), TOLERANCE, "step " + step);
            }
        }
    }

    @Test
    void firstStepMatchesTransformersLogits() {
        float[][] logits = Golden.matrix(golden.get("logits")); // transformers, one row per prompt position
        double[] expected = logSoftmax(logits[logits.length - 1]);
        Generation g = generator.generate(new GenerationRequest(prompt(), SamplingParams.greedy(1).withLogprobs(3)));
        TokenLogprob first = g.logprobs().get(0);
        assertEquals(expected[first.tokenId()], first.logprob(), TOLERANCE);
        for (TokenLogprob.TopLogprob alt : first.top()) {
            assertEquals(expected[alt.tokenId()], alt.logprob(), TOLERANCE);
        }
    }

    @Test
    void rowsWithoutLogprobsGetNoneAndTokensDoNotChange() {
        int[] prompt = prompt();
        GenerationRequest sampled = new GenerationRequest(prompt, TextGeneratorTest.sampled(42, 20));
        List<Generation> batch = generator.generate(List.of(
                new GenerationRequest(prompt, SamplingParams.greedy(12).withLogprobs(2)),
                new GenerationRequest(prompt, SamplingParams.greedy(12)),
                new GenerationRequest(prompt, sampled.params().withLogprobs(0))), TokenListener.NONE);

        int[] greedyAlone = generator.generate(new GenerationRequest(prompt, SamplingParams.greedy(12))).tokenIds();
        assertArrayEquals(greedyAlone, batch.get(0).tokenIds(), "with logprobs");
        assertArrayEquals(greedyAlone, batch.get(1).tokenIds(), "without logprobs");
        assertEquals(List.of(), batch.get(1).logprobs());
        assertEquals(12, batch.get(0).logprobs().size());
        batch.get(0).logprobs().forEach(lp -> assertEquals(2, lp.top().size()));

        Generation sampledAlone = generator.generate(sampled);
        assertArrayEquals(sampledAlone.tokenIds(), batch.get(2).tokenIds(), "seeded sampling, with logprobs(0)");
        assertEquals(List.of(), sampledAlone.logprobs());
        assertEquals(sampledAlone.tokenIds().length, batch.get(2).logprobs().size());
        for (TokenLogprob lp : batch.get(2).logprobs()) {
            assertEquals(List.of(), lp.top(), "top_logprobs 0: the chosen token only");
            assertTrue(lp.logprob() <= 0, "a log-probability: " + lp.logprob());
        }
    }

    @Test
    void onTokenComesForEveryTokenBeforeItsText() {
        List<Integer> tokensSoFar = new ArrayList<>();
        List<TokenLogprob> heard = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Generation g = generator.generate(List.of(new GenerationRequest(prompt(),
                SamplingParams.greedy(30).withLogprobs(1))), new TokenListener() {
            @Override
            public void onToken(int request, int tokenId, TokenLogprob logprob) {
                tokensSoFar.add(tokenId);
                heard.add(logprob);
            }

            @Override
            public void onText(int request, String delta) {
                text.append(delta);
                String decoded = tokenizer.decode(tokensSoFar.stream().mapToInt(Integer::intValue).toArray(), true);
                assertTrue(decoded.startsWith(text.toString()), "text only after its tokens: '" + text + "' vs '"
                        + decoded + "'");
            }
        }).get(0);
        assertArrayEquals(g.tokenIds(), tokensSoFar.stream().mapToInt(Integer::intValue).toArray());
        assertEquals(g.logprobs(), heard);
        assertTrue(text.length() > 0);
    }

    @Test
    void tokenTextsConcatenateToTheDecodedTextAndBytesAreUtf8() {
        int[] prompt = prompt();
        Generation g = generator.generate(new GenerationRequest(prompt, SamplingParams.greedy(20).withLogprobs(0)));
        StringBuilder joined = new StringBuilder();
        for (TokenLogprob lp : g.logprobs()) {
            joined.append(lp.token());
            assertArrayEquals(lp.token().getBytes(StandardCharsets.UTF_8), lp.bytes(), lp.token());
        }
        // Decoded after the prompt, the continuation keeps the leading space a piece decoded alone would lose.
        String full = tokenizer.decode(IntStream.concat(Arrays.stream(prompt), Arrays.stream(g.tokenIds())).toArray(),
                true);
        String promptText = tokenizer.decode(prompt, true);
        assertEquals(full.substring(promptText.length()), joined.toString());
    }

    @Test
    void singleTokenPiecesKeepTheirSpaceAndByteFallbackGivesTheRawByte() {
        TokenPieces pieces = new TokenPieces(tokenizer);
        int the = tokenizer.tokenToId("▁the").getAsInt();
        assertEquals(" the", pieces.of(the).text());
        assertArrayEquals(" the".getBytes(StandardCharsets.UTF_8), pieces.of(the).bytes());

        TokenPieces.Piece lead = pieces.of(tokenizer.tokenToId("<0xE2>").getAsInt());
        assertEquals("\uFFFD", lead.text(), "part of a character has no text of its own");
        assertArrayEquals(new byte[] {(byte) 0xE2}, lead.bytes());
        assertEquals("\n", pieces.of(tokenizer.tokenToId("<0x0A>").getAsInt()).text());

        int eos = tokenizer.eosId().getAsInt();
        assertEquals("</s>", pieces.of(eos).text(), "special tokens are shown");
        assertSame(pieces.of(the), pieces.of(the), "decoded once");
        assertEquals("", pieces.of(tokenizer.vocabSize()).text(), "an id past the tokenizer's vocabulary");
    }
}
