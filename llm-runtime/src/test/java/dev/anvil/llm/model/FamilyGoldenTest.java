package dev.anvil.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.NativeScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tiny random checkpoints of the three families written by transformers 5 (rope_parameters layout): Llama 3 rope
 * scaling + untied head, Qwen2 q/k/v biases + tied embeddings, Mistral; all with GQA (4 query, 2 KV heads).
 */
class FamilyGoldenTest {

    /** Their logits are about 0.3 in size: a misread rope theta moves them by ~7e-5, so compare at 1e-5. */
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"llama3-tiny", "qwen2-tiny", "mistral-tiny"})
    void logitsAndGreedyMatchTransformers(String name) {
        Path dir = Golden.golden(name);
        JsonNode golden = Golden.json(dir.resolve("golden.json"));
        LlamaModel model = LlamaModel.load(dir, LoadOptions.defaults());
        long[] ids = Golden.ids(golden.get("input_ids"));
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor logits = model.forward(Golden.batchOf(ids), null);
            double diff = Golden.maxAbsDiff(logits, Golden.matrix(golden.get("logits")));
            assertTrue(diff < TOLERANCE, name + ": max |logit diff| = " + diff);
        }
        long[] expected = Golden.ids(golden.get("greedy_from_8"));
        long[] generated = new TokenGenerator(model).greedy(Arrays.copyOf(expected, 8), expected.length - 8);
        assertArrayEquals(Arrays.copyOfRange(expected, 8, expected.length), generated, name);
    }
}
