package dev.anvil.trainer.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.RopeConfig;
import org.junit.jupiter.api.Test;

/**
 * The estimate against numbers worked out by hand for aidreams260K's shape: dim 64, 4 layers, 4 heads of 16,
 * SwiGLU 172, vocabulary 512, context 128, tied embeddings; micro-batch 4 x 128 tokens, LoRA r 8 on all seven
 * projections, dropout 0.05, float32. Exact to the byte except where the measured calibration constants enter.
 */
class MemoryEstimateTest {

    static final ModelConfig AIDREAMS = new ModelConfig("llama", 64, 4, 4, 4, 16, 172, 512, 1e-5, true, false, false,
            128, RopeConfig.plain(10000), 0, 1, List.of(2), "float32");

    /** batch, sequence length, rank, dropout, dtype; the rest default. */
    static Hyperparameters hp(int batch, int seq, int rank, double dropout, String dtype) {
        return new Hyperparameters(null, null, null, null, null, batch, null, seq, null, null, rank, null, dropout,
                null, null, null, null, null, null, null, null, null, dtype);
    }

    static final long TOKENS = 4 * 128;
    // Parameters: embedding 512x64; per layer two norms of 64, q/k/v/o 64x64, gate/up 172x64, down 64x172; final norm.
    static final long PARAMETERS = 512 * 64 + 4 * (2 * 64 + 4 * 64 * 64 + 3 * 172 * 64) + 64; // 230,976
    // LoRA r 8: r (in + out) per projection: q/k/v/o 8 (64 + 64), gate/up/down 8 (64 + 172).
    static final long LORA_PARAMETERS = 4 * (4 * 8 * 128 + 3 * 8 * 236); // 39,040

    @Test
    void qloraPartsMatchTheHandComputedBytes() {
        MemoryEstimate e = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(4, 128, 8, 0.05, "float32"));

        // NF4: a 64x64 weight is 64 blocks: 2,048 bytes of codes, 64 absmax codes, one fp32 nested absmax (a
        // partial block of 256), one fp32 offset = 2,120. A 172x64 weight: 172 blocks: 5,504 + 172 + 4 + 4 = 5,684.
        long nf4 = 4 * (4 * 2_120 + 3 * 5_684);
        long dense = (512 * 64 + 4 * 2 * 64 + 64) * 4; // embedding and norms stay fp32
        assertEquals(nf4 + dense, e.bytes("base weights"));
        assertEquals(102_128 + 133_376, e.bytes("base weights"));

        assertEquals(LORA_PARAMETERS * 4, e.bytes("LoRA adapters"));
        assertEquals(156_160, e.bytes("gradients"));
        assertEquals(2 * 156_160, e.bytes("AdamW state"));
        // Every projection dequantized to fp32 and kept for backward: 4 x (4 x 4,096 + 3 x 11,008) x 4 bytes.
        assertEquals(4 * (4 * 4_096 + 3 * 11_008) * 4, e.bytes("NF4 dequantized weights"));

        // One token in one layer, bytes (fp32): norm 2 x 64 x 4 = 512; a LoRA-wrapped projection (in, out) leaves
        // its output 4 out, dropout output and mask 8 in, A x 4 r, B x 4 out, scaled 4 out, sum 4 out = 16 out +
        // 8 in + 32: q/k/v/o 1,568 each, gate/up 16 x 172 + 512 + 32 = 3,296, down 1,024 + 1,376 + 32 = 2,432;
        // rotary of q and k 4 x (32 + 256) = 1,152 each; attention output 256 + log-sum-exp 16; merged heads 256;
        // residuals 256 each; SiLU and gate x up 688 each.
        long attention = 512 + 4 * 1_568 + 2 * 1_152 + 256 + 16 + 256 + 256;
        long mlp = 512 + 2 * 3_296 + 2_432 + 2 * 688 + 256;
        assertEquals(9_872 + 11_168, attention + mlp);
        // Outside the layers: embedding output 256, final norm 512, rotary tables 4 (8 + 3 x 16) = 224 per token.
        long perToken = Math.round((attention + mlp) * 4 * MemoryEstimate.ACTIVATION_CALIBRATION) + 256 + 512 + 224;
        assertEquals(perToken * TOKENS, e.bytes("activations"));

        assertEquals(2L * 4 * 4 * 4 * 128 * 128, e.bytes("attention scores")); // scores + probabilities, one layer
        assertEquals(TOKENS * 512 * 4 * 4, e.bytes("logits and loss"));      // logits, log-softmax, 2 gradients
        assertEquals(MemoryEstimate.RUNTIME_BYTES, e.bytes("runtime"));

        long sum = e.parts().stream().mapToLong(MemoryEstimate.Part::bytes).sum();
        assertEquals(sum, e.stepBytes());
        assertEquals(PARAMETERS * 4 + MemoryEstimate.RUNTIME_BYTES, e.loadingBytes());
        assertEquals(Math.max(e.stepBytes(), e.loadingBytes()), e.totalBytes());
    }

    @Test
    void loraKeepsTheBaseDenseAndFullTrainsEveryWeight() {
        MemoryEstimate lora = MemoryEstimate.of(AIDREAMS, TrainingMethod.LORA, hp(4, 128, 8, 0.05, "float32"));
        assertEquals(PARAMETERS * 4, lora.bytes("base weights"));
        assertEquals(LORA_PARAMETERS * 4, lora.bytes("gradients"));
        assertTrue(lora.parts().stream().noneMatch(p -> p.name().startsWith("NF4")));

        MemoryEstimate full = MemoryEstimate.of(AIDREAMS, TrainingMethod.FULL, hp(4, 128, 8, 0.05, "float32"));
        assertEquals(PARAMETERS * 4, full.bytes("base weights"));
        assertEquals(PARAMETERS * 4, full.bytes("gradients"));
        assertEquals(2 * PARAMETERS * 4, full.bytes("AdamW state"));
        assertThrows(IllegalArgumentException.class, () -> full.bytes("LoRA adapters"));
        // No adapters: one token in one layer leaves norms, plain projection outputs, rotary, attention, SwiGLU.
        long attention = 512 + 4 * 256 + 2 * 1_152 + 256 + 16 + 256 + 256;
        long mlp = 512 + 3 * 688 + 256 + 688 + 256;
        long perToken = Math.round((attention + mlp) * 4 * MemoryEstimate.ACTIVATION_CALIBRATION) + 992;
        assertEquals(perToken * TOKENS, full.bytes("activations"));
    }

    @Test
    void bfloat16HalvesTheDenseWeightsAndLogitsStayFp32ForTheLoss() {
        MemoryEstimate e = MemoryEstimate.of(AIDREAMS, TrainingMethod.LORA, hp(4, 128, 8, 0.0, "bfloat16"));
        assertEquals(PARAMETERS * 2, e.bytes("base weights"));
        assertEquals(LORA_PARAMETERS * 4, e.bytes("LoRA adapters")); // adapters always train in fp32
        // bf16 logits, their fp32 copy, fp32 log-softmax and two fp32 gradients.
        assertEquals(TOKENS * 512 * (2 + 4 + 3 * 4), e.bytes("logits and loss"));
    }

    @Test
    void theSequenceLengthCountsAtMostTheContextAndScalesActivations() {
        MemoryEstimate capped = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(4, 4096, 8, 0.05, "float32"));
        MemoryEstimate context = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(4, 128, 8, 0.05, "float32"));
        assertEquals(context.totalBytes(), capped.totalBytes());
        MemoryEstimate half = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(2, 128, 8, 0.05, "float32"));
        assertEquals(context.bytes("activations"), 2 * half.bytes("activations"));
        assertEquals(context.bytes("logits and loss"), 2 * half.bytes("logits and loss"));
    }

    @Test
    void theMessageNamesEveryPart() {
        String text = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(4, 128, 8, 0.05, "float32")).toString();
        for (String part : List.of("base weights", "LoRA adapters", "gradients", "AdamW state",
                "NF4 dequantized weights", "activations", "attention scores", "logits and loss", "runtime", "loading")) {
            assertTrue(text.contains(part), () -> part + " missing from: " + text);
        }
        assertFalse(text.contains("NaN"));
        assertEquals("24.0 GiB", MemoryEstimate.human(24L << 30));
        assertEquals("512 MiB", MemoryEstimate.human(512L << 20));
        assertEquals("1.50 KiB", MemoryEstimate.human(1536));
    }
}
