package dev.anvil.llm.model;

import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.lora.LoraConfig;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the trainer needs: gradients to base weights (full fine-tuning) or to adapters only (LoRA). */
class TrainingHooksTest {

    static final long[] IDS = {1, 72, 300, 45, 18, 99, 7, 401};

    /** Next-token cross-entropy of IDS. */
    static Tensor loss(LlamaModel model) {
        Tensor logits = model.forward(Golden.batchOf(IDS), null).select(0, 0);
        Tensor logProbs = torch.log_softmax(logits.narrow(0, 0, IDS.length - 1), -1);
        Tensor targets = Tensors.longs(java.util.Arrays.copyOfRange(IDS, 1, IDS.length), IDS.length - 1);
        return torch.nll_loss(logProbs, targets);
    }

    @Test
    void fullFineTuningGetsGradientsOnEveryWeight() {
        LlamaModel model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults().withTrainable(true));
        Map<String, Tensor> params = model.namedParameters();
        assertEquals(ParameterLayout.of(model.config()).keySet(), params.keySet(), "Hugging Face names");
        try (NativeScope s = new NativeScope()) {
            loss(model).backward();
            params.forEach((name, p) -> {
                assertTrue(p.requires_grad(), name);
                assertTrue(p.grad().defined(), "gradient of " + name);
            });
            // Trainable weights own their memory: an optimizer may update them in place.
            Tensor w = params.get("model.layers.0.self_attn.q_proj.weight");
            try (var noGrad = new org.bytedeco.pytorch.NoGradGuard()) {
                w.add_(w.grad().mul(new org.bytedeco.pytorch.Scalar(-0.1)));
            }
        }
    }

    @Test
    void loraTrainingTouchesOnlyTheAdapter() {
        LlamaModel model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        float[] before;
        try (NativeScope s = new NativeScope()) {
            before = Tensors.toFloats(model.forward(Golden.batchOf(IDS), null).detach());
        }
        LoraAdapter adapter = LoraAdapter.create("train", model.config(),
                LoraConfig.of(4, 8, 0.1, LoraConfig.allProjections()), 1);
        adapter.attachTo(model);
        try (NativeScope s = new NativeScope(); var noGrad = new org.bytedeco.pytorch.NoGradGuard()) {
            assertArrayEquals(before, Tensors.toFloats(model.forward(Golden.batchOf(IDS), null)),
                    "B = 0: a fresh adapter leaves the model unchanged");
        }
        adapter.setTraining(true);
        try (NativeScope s = new NativeScope()) {
            loss(model).backward();
            adapter.parameters().forEach((name, p) -> {
                assertTrue(name.startsWith("base_model.model.model.layers."), name);
                assertTrue(p.grad().defined(), "gradient of " + name);
            });
            assertFalse(model.namedParameters().get("model.embed_tokens.weight").requires_grad(), "base frozen");
        }
        assertEquals(4 * 7 * 2, adapter.parameters().size());
    }
}
