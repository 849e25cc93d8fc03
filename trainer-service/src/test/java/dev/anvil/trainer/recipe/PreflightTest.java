package dev.anvil.trainer.recipe;

import static dev.anvil.llm.torch.ComputeDevice.Kind.CPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.trainer.testing.ColorDataset;
import org.junit.jupiter.api.Test;

/** Each reason a request is refused before any work, against the real aidreams260K config (context 128, dim 64). */
class PreflightTest {

    static final ModelConfig MODEL = ModelConfig.read(ColorDataset.model().resolve("config.json"));
    static final long PLENTY = 64L << 30;

    static Hyperparameters hp(Integer seq, Integer rank, List<String> targets, String dtype) {
        return new Hyperparameters(null, null, null, null, null, null, null, seq, null, null, rank, null, null,
                targets, null, null, null, null, null, null, null, null, dtype);
    }

    static List<String> problems(TrainingMethod method, Hyperparameters hp, long device) {
        return Preflight.problems(MODEL, false, method, hp, CPU, device);
    }

    static void assertOneProblem(List<String> problems, String... fragments) {
        assertEquals(1, problems.size(), () -> "problems: " + problems);
        for (String f : fragments) assertTrue(problems.get(0).contains(f), () -> "'" + f + "' not in " + problems);
    }

    @Test
    void aRequestThatFitsHasNoProblem() {
        for (TrainingMethod m : TrainingMethod.values()) {
            assertEquals(List.of(), problems(m, hp(128, 8, null, null), PLENTY));
        }
    }

    @Test
    void anExplicitSequenceLengthBeyondTheContextIsRefusedTheDefaultIsCapped() {
        assertOneProblem(problems(TrainingMethod.QLORA, hp(512, null, null, null), PLENTY),
                "hyperparameters.maxSeqLength 512", "context of 128");
        assertOneProblem(problems(TrainingMethod.QLORA, hp(1, null, null, null), PLENTY),
                "hyperparameters.maxSeqLength must be >= 2");
        // Unset: the default 512 runs capped at 128, as the recipe does.
        assertEquals(List.of(), problems(TrainingMethod.QLORA, hp(null, null, null, null), PLENTY));
    }

    @Test
    void anUnknownOrMissingTargetModuleIsRefusedNamingIt() {
        assertOneProblem(problems(TrainingMethod.QLORA, hp(null, null, List.of("q_proj", "c_attn"), null), PLENTY),
                "hyperparameters.targetModules", "'c_attn'", "llama", "down_proj");
        assertOneProblem(problems(TrainingMethod.LORA, hp(null, null, List.of(), null), PLENTY),
                "hyperparameters.targetModules must name at least one projection");
        // Full fine-tuning has no adapter: its target list does not matter.
        assertEquals(List.of(), problems(TrainingMethod.FULL, hp(null, null, List.of("c_attn"), null), PLENTY));
    }

    @Test
    void aRankTheProjectionsCannotHoldIsRefused() {
        // aidreams260K's hidden size is 64: every projection has 64 as one side.
        assertOneProblem(problems(TrainingMethod.QLORA, hp(null, 128, List.of("q_proj"), null), PLENTY),
                "hyperparameters.loraRank 128", "q_proj", "(64)");
        assertEquals(List.of(), problems(TrainingMethod.QLORA, hp(null, 64, List.of("q_proj"), null), PLENTY));
    }

    @Test
    void aQuantizedCheckpointOrAnUnknownDtypeIsRefused() {
        assertOneProblem(Preflight.problems(MODEL, true, TrainingMethod.LORA, hp(null, null, null, null), CPU, PLENTY),
                "baseModel is stored quantized", "lora");
        assertOneProblem(problems(TrainingMethod.QLORA, hp(null, null, null, "float16"), PLENTY),
                "hyperparameters.computeDtype 'float16'");
    }

    @Test
    void aJobAboveTheDeviceMemoryIsRefusedWithTheEstimate() {
        Hyperparameters hp = hp(128, 8, null, null);
        MemoryEstimate estimate = MemoryEstimate.of(MODEL, TrainingMethod.LORA, hp, CPU);
        assertEquals(List.of(), problems(TrainingMethod.LORA, hp, estimate.totalBytes()));
        List<String> refused = problems(TrainingMethod.LORA, hp, estimate.totalBytes() - 1);
        assertOneProblem(refused, "anvil.trainer.device-memory", "hyperparameters.microBatchSize (4)",
                "hyperparameters.maxSeqLength (128)", "use method qlora", "activations", "logits and loss",
                "runtime", MemoryEstimate.human(estimate.totalBytes()));
    }
}
