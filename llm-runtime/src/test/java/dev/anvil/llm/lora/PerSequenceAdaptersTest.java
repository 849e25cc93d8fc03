package dev.anvil.llm.lora;

import dev.anvil.llm.model.AdapterRouting;
import dev.anvil.llm.model.TokenGenerator;
import dev.anvil.llm.model.TokenSelector;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several adapters on one base, chosen per sequence within one batch (what the gateway does). */
class PerSequenceAdaptersTest {

    static final double TOLERANCE = 1e-5;

    @Test
    void mixedBatchEqualsSeparateRuns() {
        LlamaModel model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        LoraAdapter.load(Golden.golden("peft-lora-aidreams260K"), "dreams").attachTo(model);
        LoraAdapter other = LoraAdapter.create("other", model.config(),
                LoraConfig.of(4, 8, 0.0, Set.of(dev.anvil.llm.model.ProjectionKind.Q, dev.anvil.llm.model.ProjectionKind.DOWN)), 7);
        try (NoGradGuard g = new NoGradGuard()) {
            // A fresh adapter has B = 0 (it equals the base); give it a visible effect.
            other.parameters().forEach((name, t) -> {
                if (name.contains("lora_B")) t.copy_(torch.randn(Tensors.shape(t)).mul(new Scalar(0.5)));
            });
        }
        other.attachTo(model);

        long[][] ids = {{1, 72, 300, 45, 18, 99}, {1, 72, 300, 45, 18, 99}, {1, 250, 12, 40, 41, 42}};
        List<String> routing = Arrays.asList("dreams", null, "other");
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            float[] mixed = Tensors.toFloats(model.forward(Tensors.longs(ids), null, AdapterRouting.perRow(routing)));
            int rowSize = mixed.length / ids.length;
            double spread = 0;
            for (int r = 0; r < ids.length; r++) {
                Tensor alone = model.forward(Golden.batchOf(ids[r]), null, AdapterRouting.uniform(routing.get(r), 1));
                float[] a = Tensors.toFloats(alone);
                assertEquals(rowSize, a.length);
                double max = 0;
                for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - mixed[r * rowSize + i]));
                assertTrue(max < TOLERANCE, "row " + r + " (" + routing.get(r) + "): max diff " + max);
            }
            // Rows 0 and 1 hold the same tokens: only their adapters differ, and that must show.
            for (int i = 0; i < rowSize; i++) spread = Math.max(spread, Math.abs(mixed[i] - mixed[rowSize + i]));
            assertTrue(spread > 0.01, "adapter 'dreams' changes row 0 vs base row 1: " + spread);
        }

        // Generation with a KV cache routes the same way, prompts of different lengths included.
        TokenGenerator generator = new TokenGenerator(model);
        List<long[]> prompts = List.of(ids[0], Arrays.copyOf(ids[1], 3), ids[2]);
        List<long[]> together = generator.generate(prompts, 10, TokenSelector.GREEDY, Set.of(), routing);
        for (int r = 0; r < prompts.size(); r++) {
            long[] alone = generator.generate(List.of(prompts.get(r)), 10, TokenSelector.GREEDY, Set.of(),
                    Arrays.asList(routing.get(r))).get(0);
            assertArrayEquals(alone, together.get(r), "row " + r + " (" + routing.get(r) + ")");
        }
    }
}
