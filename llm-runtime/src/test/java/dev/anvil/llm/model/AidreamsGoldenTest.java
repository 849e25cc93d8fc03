package dev.anvil.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real pretrained aidreams260K against transformers' outputs (golden/aidreams260K_golden.json). */
class AidreamsGoldenTest {

    /** Stated tolerance for logits and per-token NLL against transformers (float32 both sides). */
    static final double TOLERANCE = 1e-4;

    static LlamaModel model;
    static JsonNode golden;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        golden = Golden.json(Golden.golden("aidreams260K_golden.json"));
    }

    @Test
    void logitsAtEveryPositionMatchTransformers() {
        long[] ids = Golden.ids(golden.get("prompt_ids"));
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor logits = model.forward(Golden.batchOf(ids), null);
            assertArrayEquals(new long[]{1, ids.length, 512}, Tensors.shape(logits));
            double diff = Golden.maxAbsDiff(logits, Golden.matrix(golden.get("logits")));
            assertTrue(diff < TOLERANCE, "max |logit diff| = " + diff);
        }
    }

    @Test
    void greedyFromBosIsTokenIdentical() {
        long[] expected = Golden.ids(golden.get("greedy_from_bos_64"));
        long[] generated = new TokenGenerator(model).greedy(new long[]{expected[0]}, expected.length - 1);
        assertArrayEquals(Arrays.copyOfRange(expected, 1, expected.length), generated);
    }

    @Test
    void greedyAfterPromptIsTokenIdentical() {
        long[] prompt = Golden.ids(golden.get("prompt_ids"));
        long[] expected = Golden.ids(golden.get("greedy_prompt_40"));
        long[] generated = new TokenGenerator(model).greedy(prompt, expected.length - prompt.length);
        assertArrayEquals(Arrays.copyOfRange(expected, prompt.length, expected.length), generated);
    }

    @Test
    void perTokenNllAndPerplexityMatch() {
        long[] ids = Golden.ids(golden.get("nll_ids"));
        JsonNode expectedNll = golden.get("token_nll");
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor logProbs = torch.log_softmax(model.forward(Golden.batchOf(ids), null), -1).select(0, 0);
            float[] lp = Tensors.toFloats(logProbs);
            int v = (int) logProbs.size(1);
            double sum = 0;
            for (int t = 0; t + 1 < ids.length; t++) {
                double nll = -lp[t * v + (int) ids[t + 1]];
                assertEquals(expectedNll.get(t).asDouble(), nll, TOLERANCE, "NLL of token " + (t + 1));
                sum += nll;
            }
            double mean = sum / (ids.length - 1);
            assertEquals(golden.get("mean_nll").asDouble(), mean, TOLERANCE);
            assertEquals(golden.get("perplexity").asDouble(), Math.exp(mean), TOLERANCE * 25, "perplexity (exp amplifies by ~20)");
        }
    }
}
