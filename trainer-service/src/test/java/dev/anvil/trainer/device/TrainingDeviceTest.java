package dev.anvil.trainer.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.torch.ComputeDevice;
import dev.anvil.llm.torch.Torch;
import dev.anvil.trainer.recipe.FineTuneRecipe;
import dev.anvil.trainer.recipe.ProgressListener;
import dev.anvil.trainer.recipe.RecipeSpec;
import dev.anvil.trainer.recipe.RunResult;
import dev.anvil.trainer.testing.ColorDataset;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * anvil.trainer.device: parsed with the key named in every error, checked against the host at start-up, and
 * honoured by the recipe. On a host with CUDA (the gpu profile, a GPU and its driver) the last test trains on
 * cuda:0 and compares with the same run on the CPU; elsewhere it is skipped.
 */
class TrainingDeviceTest {

    private static int cudaDevices() {
        Torch.init();
        return torch.cuda_is_available() ? torch.cuda_device_count() : 0;
    }

    @Test
    void configuredValuesAreParsedAndBadOnesNameTheKey() {
        assertEquals(ComputeDevice.CPU, new TrainingDevice("cpu").get());
        assertEquals(ComputeDevice.cuda(0), new TrainingDevice("cuda").get());
        assertEquals(ComputeDevice.cuda(2), new TrainingDevice(" cuda:2 ").get());
        String msg = assertThrows(IllegalArgumentException.class, () -> new TrainingDevice("gpu")).getMessage();
        assertEquals("anvil.trainer.device: bad device 'gpu': expected cpu, cuda or cuda:N", msg);
    }

    @Test
    void startUpRefusesACudaDeviceThisHostDoesNotHave() {
        assertEquals(ComputeDevice.CPU, TrainingDevice.requireAvailable(ComputeDevice.CPU));
        int count = cudaDevices();
        ComputeDevice missing = ComputeDevice.cuda(count); // one past the last GPU: cuda:0 on a CPU build
        String msg = assertThrows(IllegalStateException.class, () -> TrainingDevice.requireAvailable(missing))
                .getMessage();
        assertTrue(msg.startsWith("anvil.trainer.device=cuda:" + count + ": device cuda:" + count), msg);
        assertTrue(msg.contains(count == 0 ? "build with the gpu Maven profile" : "has " + count + " CUDA device"),
                msg);
        assertTrue(msg.endsWith("Set anvil.trainer.device=cpu, or run the GPU image on a node with a GPU"), msg);
    }

    @Test
    void aRecipeAskedForCudaOnACpuBuildFailsAtSetUpBeforeWritingAnything(@TempDir Path dir) {
        assumeTrue(cudaDevices() == 0, "this host has CUDA");
        Path runDir = dir.resolve("runs/job-1");
        FineTuneRecipe recipe = new FineTuneRecipe(spec(dir, runDir, TrainingMethod.LORA, 4, ComputeDevice.cuda(0)));

        String msg = assertThrows(IllegalStateException.class, recipe::setUp).getMessage();

        assertTrue(msg.startsWith("device cuda:0 requested but CUDA is not available"), msg);
        assertFalse(Files.exists(runDir.resolve("checkpoints")), "no checkpoint of a run that never started");
    }

    /**
     * LoRA for 12 steps on cuda:0 and on the CPU from the same seed (no dropout): the GPU run trains (validation
     * loss falls) and follows the CPU run's losses to 1e-3 relative (float32 kernels differ in summation order;
     * Adam's normalised first steps can amplify that a little, hence not 1e-6).
     */
    @Test
    void loraOnCudaMatchesTheSameRunOnTheCpu(@TempDir Path dir) {
        assumeTrue(cudaDevices() > 0, "no CUDA on this host (CPU natives, or no GPU)");
        RunResult cpu = train(dir.resolve("cpu"), ComputeDevice.CPU);
        RunResult gpu = train(dir.resolve("gpu"), ComputeDevice.cuda(0));

        assertTrue(gpu.bestValidationLoss() < gpu.initialValidationLoss(), gpu.toString());
        assertEquals(cpu.initialValidationLoss(), gpu.initialValidationLoss(), 1e-3 * cpu.initialValidationLoss());
        assertEquals(cpu.lastTrainLoss(), gpu.lastTrainLoss(), 1e-3 * cpu.lastTrainLoss());
        assertTrue(Files.isRegularFile(dir.resolve("gpu/runs/job-1/adapter/adapter_model.safetensors")));
    }

    private static RunResult train(Path dir, ComputeDevice device) {
        FineTuneRecipe recipe = new FineTuneRecipe(spec(dir, dir.resolve("runs/job-1"), TrainingMethod.LORA, 12,
                device));
        recipe.setUp();
        recipe.trainableParameters().values().forEach(t ->
                assertEquals(device.isCuda(), t.is_cuda(), "trainable weights live on " + device));
        RunResult result = recipe.train(ProgressListener.NONE, () -> false);
        recipe.export(result);
        System.out.printf("%s: validation loss %.4f -> %.4f, last train loss %.4f%n", device,
                result.initialValidationLoss(), result.bestValidationLoss(), result.lastTrainLoss());
        return result;
    }

    private static RecipeSpec spec(Path dir, Path runDir, TrainingMethod method, int steps, ComputeDevice device) {
        Hyperparameters hp = new Hyperparameters(1e-2, "constant", 0, null, steps, 4, 1, 128, false, null, 8, 16.0,
                0.0, null, 0.0, 1.0, 7L, steps, 0, 0.0, 1000, 1, null);
        return new RecipeSpec("job-1", ColorDataset.model(), ColorDataset.write(dir.resolve("data")), runDir, method,
                hp, device);
    }
}
