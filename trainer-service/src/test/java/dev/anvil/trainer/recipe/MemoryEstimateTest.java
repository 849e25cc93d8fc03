package dev.anvil.trainer.recipe;

import static dev.anvil.llm.torch.ComputeDevice.Kind.CPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.RopeConfig;
import dev.anvil.llm.torch.ComputeDevice;
import org.junit.jupiter.api.Test;

/**
 * The estimate against numbers worked out by hand for aidreams260K's shape: dim 64, 4 layers, 4 heads of 16,
 * SwiGLU 172, vocabulary 512, context 128, tied embeddings; micro-batch 4 x 128 tokens, LoRA r 8 on all seven
 * projections, dropout 0.05, float32, on the CPU. Exact to the byte; the measured calibration enters as a factor.
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
        MemoryEstimate e = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(4, 128, 8, 0.05, "float32"), CPU);

        // NF4: a 64x64 weight is 64 blocks: 2,048 bytes of codes, 64 absmax codes, one fp32 nested absmax (a
        // partial block of 256), one fp32 offset = 2,120. A 172x64 weight: 172 blocks: 5,504 + 172 + 4 + 4 = 5,684.
        long nf4 = 4 * (4 * 2_120 + 3 * 5_684);
        long dense = (512 * 64 + 4 * 2 * 64 + 64) * 4; // embedding and norms stay fp32
        assertEquals(nf4 + dense, e.bytes("base weights"));
        assertEquals(102_128 + 133_376, e.bytes("base weights"));

        assertEquals(LORA_PARAMETERS * 4, e.bytes("LoRA adapters"));
        assertEquals(156_160, e.bytes("gradients"));
        assertEquals(2 * 156_160, e.bytes("AdamW state"));
        // One fp32 buffer per distinct weight size: 64x64 (q, k, v, o) and 172x64 (gate, up, down).
        assertEquals((4_096 + 11_008) * 4, e.bytes("NF4 dequantization buffers"));

        // What autograd keeps per token of one layer, bytes (fp32): each RMSNorm its input and 1/rms, 4 x 64 + 4 =
        // 260; each adapter its dropout output and mask, 2 x 4 x in, and A's output, 4 x 8: q/k/v/o 544 each,
        // gate/up 544 each, down 2 x 4 x 172 + 32 = 1,408; attention rotated q and k, v and its output 4 x 256
        // plus the log-sum-exp 4 x 4 heads; SwiGLU's gate, SiLU output and up 3 x 4 x 172 = 2,064.
        long layer = 2 * 260 + 6 * 544 + 1_408 + 4 * 256 + 16 + 2_064;
        assertEquals(8_296, layer);
        // Outside the layers: the final norm 260 and the rotary cos and sin tables 2 x 4 x 16 = 128 per token.
        long perToken = 4 * layer + 260 + 128;
        assertEquals(Math.round(perToken * TOKENS * MemoryEstimate.CPU_ACTIVATION_CALIBRATION), e.bytes("activations"));

        assertEquals(2L * 4 * 4 * 4 * 128 * 128, e.bytes("attention scores")); // scores + probabilities, one layer
        assertEquals(TOKENS * 3 * 4 * 512, e.bytes("logits and loss"));     // log-softmax and two gradients, fp32
        assertEquals(MemoryEstimate.RUNTIME_BYTES, e.bytes("runtime"));

        long sum = e.parts().stream().mapToLong(MemoryEstimate.Part::bytes).sum();
        assertEquals(sum, e.stepBytes());
        assertEquals(PARAMETERS * 4 + MemoryEstimate.RUNTIME_BYTES, e.loadingBytes());
        assertEquals(Math.max(e.stepBytes(), e.loadingBytes()), e.totalBytes());
    }

    @Test
    void loraKeepsTheBaseDenseAndFullTrainsEveryWeight() {
        MemoryEstimate lora = MemoryEstimate.of(AIDREAMS, TrainingMethod.LORA, hp(4, 128, 8, 0.05, "float32"), CPU);
        assertEquals(PARAMETERS * 4, lora.bytes("base weights"));
        assertEquals(LORA_PARAMETERS * 4, lora.bytes("gradients"));
        assertTrue(lora.parts().stream().noneMatch(p -> p.name().startsWith("NF4")));

        MemoryEstimate full = MemoryEstimate.of(AIDREAMS, TrainingMethod.FULL, hp(4, 128, 8, 0.05, "float32"), CPU);
        assertEquals(PARAMETERS * 4, full.bytes("base weights"));
        assertEquals(PARAMETERS * 4, full.bytes("gradients"));
        assertEquals(2 * PARAMETERS * 4, full.bytes("AdamW state"));
        assertThrows(IllegalArgumentException.class, () -> full.bytes("LoRA adapters"));
        // No adapters: per layer the two norms, attention's four tensors and SwiGLU's three; frozen products keep
        // nothing (their weights' gradients need the inputs, which are those same saved tensors or the norms').
        long layer = 2 * 260 + 4 * 256 + 16 + 2_064;
        assertEquals(Math.round((4 * layer + 388) * TOKENS * MemoryEstimate.CPU_ACTIVATION_CALIBRATION),
                full.bytes("activations"));
    }

    @Test
    void bfloat16HalvesTheDenseWeightsAndLogitsStayFp32ForTheLoss() {
        MemoryEstimate e = MemoryEstimate.of(AIDREAMS, TrainingMethod.LORA, hp(4, 128, 8, 0.0, "bfloat16"), CPU);
        assertEquals(PARAMETERS * 2, e.bytes("base weights"));
        assertEquals(LORA_PARAMETERS * 4, e.bytes("LoRA adapters")); // adapters always train in fp32
        assertEquals(TOKENS * 3 * 4 * 512, e.bytes("logits and loss")); // the loss is computed in fp32
        // Without dropout each adapter keeps its own fp32 copy of its bf16 input, 4 x in, and A's output 32:
        // q/k/v/o 288 each, gate/up 288, down 720; norms still keep fp32 inputs 2 x 260; attention 2 x 4 x 64 + 16;
        // SwiGLU 3 x 2 x 172. Rotary tables in bf16: 2 x 2 x 16.
        long layer = 2 * 260 + 6 * 288 + 720 + 4 * 2 * 64 + 16 + 3 * 2 * 172;
        assertEquals(4_528, layer);
        assertEquals(Math.round((4 * layer + 260 + 64) * TOKENS * MemoryEstimate.CPU_ACTIVATION_CALIBRATION),
                e.bytes("activations"));
    }

    @Test
    void theAllocatorsShareOfTheActivationsDependsOnTheDevice() {
        Hyperparameters hp = hp(4, 128, 8, 0.05, "float32");
        MemoryEstimate cpu = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp, CPU);
        MemoryEstimate cuda = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp, ComputeDevice.Kind.CUDA);
        assertEquals(cpu.bytes("activations") / MemoryEstimate.CPU_ACTIVATION_CALIBRATION,
                cuda.bytes("activations") / MemoryEstimate.CUDA_ACTIVATION_CALIBRATION, 1.0);
        assertEquals(cpu.bytes("logits and loss"), cuda.bytes("logits and loss"));
    }

    @Test
    void theSequenceLengthCountsAtMostTheContextAndScalesActivations() {
        MemoryEstimate capped = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(4, 4096, 8, 0.05, "float32"), CPU);
        MemoryEstimate context = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(4, 128, 8, 0.05, "float32"), CPU);
        assertEquals(context.totalBytes(), capped.totalBytes());
        MemoryEstimate half = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(2, 128, 8, 0.05, "float32"), CPU);
        assertEquals(context.bytes("activations"), 2 * half.bytes("activations"));
        assertEquals(context.bytes("logits and loss"), 2 * half.bytes("logits and loss"));
    }

    @Test
    void theMessageNamesEveryPart() {
        String text = MemoryEstimate.of(AIDREAMS, TrainingMethod.QLORA, hp(4, 128, 8, 0.05, "float32"), CPU).toString();
        for (String part : List.of("base weights", "LoRA adapters", "gradients", "AdamW state",
                "NF4 dequantization buffers", "activations", "attention scores", "logits and loss", "runtime", "loading")) {
            assertTrue(text.contains(part), () -> part + " missing from: " + text);
        }
        assertFalse(text.contains("NaN"));
        assertEquals("24.0 GiB", MemoryEstimate.human(24L << 30));
        assertEquals("512 MiB", MemoryEstimate.human(512L << 20));
        assertEquals("1.50 KiB", MemoryEstimate.human(1536));
    }
}
