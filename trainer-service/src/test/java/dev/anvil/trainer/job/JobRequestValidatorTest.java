package dev.anvil.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.trainer.device.TrainingDevice;
import dev.anvil.trainer.recipe.RecipeSpec;
import dev.anvil.trainer.testing.ColorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator's checks against the base model, before any work (plain JUnit: the Kafka and REST paths that turn
 * its {@link InvalidJobException} into TrainingFailed or a 400 are covered by TrainingJobFlowTest).
 */
class JobRequestValidatorTest {

    @TempDir
    Path dataDir;

    private JobRequestValidator validator(String deviceMemory) throws Exception {
        Path model = dataDir.resolve("models/aidreams260K");
        if (!Files.exists(model)) {
            Files.createDirectories(model.getParent());
            Files.createSymbolicLink(model, ColorDataset.model().toAbsolutePath());
            ColorDataset.write(dataDir);
        }
        return new JobRequestValidator(dataDir, List.of(dataDir.resolve("models")), new TrainingDevice("cpu"),
                Optional.ofNullable(deviceMemory));
    }

    private static TrainingRequested request(TrainingMethod method, Integer maxSeqLength, List<String> targets) {
        Hyperparameters hp = new Hyperparameters(null, null, null, null, null, 4, null, maxSeqLength, null, null, 8,
                null, null, targets, null, null, null, null, null, null, null, null, null);
        return new TrainingRequested("job-1", "aidreams260K", new DatasetRef("colors", "v1"), method, hp);
    }

    @Test
    void aValidRequestMapsOntoTheDataDirectory() throws Exception {
        RecipeSpec spec = validator(null).validate(request(TrainingMethod.QLORA, null, null));
        assertEquals(dataDir.resolve("runs/job-1"), spec.runDir());
        assertEquals(TrainingMethod.QLORA, spec.method());
    }

    @Test
    void aJobAboveTheConfiguredDeviceMemoryIsRefusedWithItsBreakdown() throws Exception {
        // aidreams260K at 4 x 128 tokens needs about 570 MiB, most of it the runtime (libtorch, JVM).
        InvalidJobException e = assertThrows(InvalidJobException.class,
                () -> validator("100MiB").validate(request(TrainingMethod.LORA, 128, null)));
        assertTrue(e.getMessage().contains("100 MiB of anvil.trainer.device-memory"), e.getMessage());
        assertTrue(e.getMessage().contains("activations") && e.getMessage().contains("runtime"), e.getMessage());
        validator("2GiB").validate(request(TrainingMethod.LORA, 128, null));
    }

    @Test
    void aSequenceLengthBeyondTheContextAndAnUnknownTargetAreRefusedNamingTheField() throws Exception {
        JobRequestValidator v = validator(null);
        InvalidJobException seq = assertThrows(InvalidJobException.class,
                () -> v.validate(request(TrainingMethod.QLORA, 2048, null)));
        assertTrue(seq.getMessage().startsWith("hyperparameters.maxSeqLength 2048 exceeds"), seq.getMessage());
        InvalidJobException target = assertThrows(InvalidJobException.class,
                () -> v.validate(request(TrainingMethod.LORA, null, List.of("query_key_value"))));
        assertTrue(target.getMessage().contains("hyperparameters.targetModules: 'query_key_value'"), target.getMessage());
    }

    @Test
    void deviceMemorySizesParseInBinaryUnits() {
        assertEquals(24L << 30, DeviceMemory.parse("24GiB"));
        assertEquals(24L << 30, DeviceMemory.parse("24g"));
        assertEquals(24L << 30, DeviceMemory.parse("24 GB"));
        assertEquals(512L << 20, DeviceMemory.parse("512MiB"));
        assertEquals(1536L << 20, DeviceMemory.parse("1.5G"));
        assertEquals(1000, DeviceMemory.parse("1000"));
        assertTrue(DeviceMemory.bytes(Optional.empty()) > 0, "unset: the machine's physical memory");
        for (String bad : List.of("lots", "24 GiBs", "-1G", "iB", "0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceMemory.parse(bad));
            assertTrue(e.getMessage().contains("anvil.trainer.device-memory"), e.getMessage());
        }
    }
}
