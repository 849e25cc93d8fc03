package dev.anvil.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import org.junit.jupiter.api.Test;

import java.util.Map;

class ExperimentConfigTest {

    private static TrainingRequested request(TrainingMethod method, Double learningRate) {
        Hyperparameters hp = new Hyperparameters(learningRate, null, null, null, 4, null, null, null, null, null, 16,
                null, null, null, null, null, 7L, null, null, null, null, null, null);
        return new TrainingRequested("j1", "aidreams260K", new DatasetRef("colors", "v1"), method, hp);
    }

    @Test
    void defaultsAreResolvedAndTheLoraSettingsGrouped() {
        Map<String, Object> flat = ExperimentConfig.flatten(ExperimentConfig.of(request(TrainingMethod.LORA, 0.01)));
        assertEquals("aidreams260K", flat.get("baseModel"));
        assertEquals("colors", flat.get("dataset.name"));
        assertEquals("v1", flat.get("dataset.version"));
        assertEquals("lora", flat.get("method"));
        assertEquals(0.01, flat.get("hyperparameters.learningRate"));
        assertEquals(Hyperparameters.DEFAULTS.scheduler(), flat.get("hyperparameters.scheduler"));
        assertEquals(4L, flat.get("hyperparameters.maxSteps"));
        assertEquals(7L, flat.get("hyperparameters.seed"));
        assertEquals(16L, flat.get("lora.rank"));
        assertEquals(Hyperparameters.DEFAULTS.loraAlpha(), flat.get("lora.alpha"));
        assertEquals(Hyperparameters.ALL_PROJECTIONS, flat.get("lora.targetModules"));
        assertFalse(flat.containsKey("hyperparameters.loraRank"), "LoRA settings live under lora only");
        assertEquals(false, flat.get("merge"));
    }

    @Test
    void fullFineTuningHasNoLoraSettings() {
        Map<String, Object> config = ExperimentConfig.of(request(TrainingMethod.FULL, null));
        assertNull(config.get("lora"));
        assertEquals(Hyperparameters.DEFAULTS.learningRate(),
                ExperimentConfig.flatten(config).get("hyperparameters.learningRate"));
    }

    @Test
    void aStoredConfigFlattensToTheSameValuesAsAFreshOne() {
        Map<String, Object> fresh = ExperimentConfig.of(request(TrainingMethod.QLORA, 0.002));
        Map<String, Object> stored = ExperimentConfig.fromJson(ExperimentConfig.toJson(fresh));
        assertEquals(ExperimentConfig.flatten(fresh), ExperimentConfig.flatten(stored));
    }
}
