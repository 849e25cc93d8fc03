package dev.anvil.trainer.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.torch.Tensors;
import dev.anvil.llm.torch.Torch;
import dev.anvil.trainer.checkpoint.CheckpointStore;
import dev.anvil.trainer.testing.ColorDataset;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in a child JVM mid-training resumes in this JVM from its last complete checkpoint and
 * ends with the same adapter as an uninterrupted run: every trainable tensor within 1e-6 (float32 on CPU, the same
 * libtorch thread count in both JVMs; in practice the difference is 0).
 */
class KillAndResumeTest {

    /** The child is killed once a checkpoint of at least this step is complete. */
    private static final int KILL_AFTER_STEP = 3;
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunKilledWithSigkillResumesToTheSameAdapter(@TempDir Path dir) throws Exception {
        Path killedDir = dir.resolve("killed");
        RecipeSpec spec = RecipeProcess.spec(killedDir);
        CheckpointStore checkpoints = new CheckpointStore(spec.runDir().resolve("checkpoints"), 2);

        long killedAt = startAndKill(killedDir, checkpoints, dir.resolve("child.log"));
        assertTrue(killedAt >= KILL_AFTER_STEP && killedAt < RecipeProcess.STEPS, "killed at step " + killedAt);
        assertFalse(Files.exists(spec.runDir().resolve("adapter")), "the killed run never got to export");

        // A kill during a checkpoint write leaves only its temporary folder; plant one (whether or not the real
        // kill left one) one step ahead of the last complete checkpoint: it must be ignored.
        long complete = checkpoints.state(checkpoints.latest().orElseThrow()).step();
        Path halfWritten = spec.runDir().resolve("checkpoints").resolve(String.format(".tmp-step-%09d", complete + 1));
        Files.createDirectories(halfWritten.resolve("adapter"));
        Files.writeString(halfWritten.resolve("adapter/adapter_model.safetensors"), "truncated");
        for (Path c : checkpoints.list()) {
            assertTrue(Files.isRegularFile(c.resolve("optimizer.pt")) && Files.isDirectory(c.resolve("adapter")),
                    "listed checkpoint " + c + " is complete");
        }

        FineTuneRecipe resumed = new FineTuneRecipe(spec);
        assertTrue(resumed.setUp(), "resumes from a checkpoint");
        assertEquals(complete, resumed.position().step(), "resumes from the newest complete checkpoint");
        RunResult resumedResult = resumed.train(ProgressListener.NONE, () -> false);
        assertEquals(RunResult.Status.COMPLETED, resumedResult.status());
        Path resumedExport = resumed.export(resumedResult);

        RecipeSpec straightSpec = RecipeProcess.spec(dir.resolve("straight"));
        FineTuneRecipe straight = new FineTuneRecipe(straightSpec);
        straight.setUp();
        RunResult straightResult = straight.train(ProgressListener.NONE, () -> false);
        Path straightExport = straight.export(straightResult);

        double live = maxAbsDiff(floats(straight.trainableParameters()), floats(resumed.trainableParameters()));
        double exported = maxAbsDiff(floats(LoraAdapter.load(straightExport, "a").parameters()),
                floats(LoraAdapter.load(resumedExport, "b").parameters()));
        System.out.printf("killed at checkpoint %d (exit %d), resumed from %d: max |diff| trainable %g, exported %g%n",
                killedAt, SIGKILL_EXIT, complete, live, exported);
        assertTrue(live <= 1e-6, "resumed trainable tensors differ by " + live);
        assertTrue(exported <= 1e-6, "exported adapters differ by " + exported);
        assertEquals(straightResult.bestStep(), resumedResult.bestStep());
        assertEquals(straightResult.initialValidationLoss(), resumedResult.initialValidationLoss(),
                "the base model's validation loss, measured by the killed process, survives");
        // metrics.jsonl: each step once, in order, with the same training loss (the killed process wrote the
        // lines up to the checkpoint, this one the rest).
        assertEquals(trainLosses(straightSpec.runDir()), trainLosses(spec.runDir()));
    }

    /** Starts {@link RecipeProcess}, SIGKILLs it once a checkpoint of step >= KILL_AFTER_STEP is complete. */
    private static long startAndKill(Path dir, CheckpointStore checkpoints, Path log) throws Exception {
        Torch.ThreadLayout threads = Torch.threadLayout();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp", System.getProperty("java.class.path"),
                "-Danvil.shared.dir=" + ColorDataset.model().toAbsolutePath().getParent().getParent(),
                "-Danvil.torch.threads=" + threads.torchThreads(),
                "-Danvil.torch.blas-threads=" + threads.blasThreads(),
                RecipeProcess.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_WAIT_POLICY", threads.passiveWait() ? "PASSIVE" : "ACTIVE");
        builder.environment().put("THP_MEM_ALLOC_ENABLE", "1");
        Process child = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            long step = -1;
            while (step < KILL_AFTER_STEP) {
                assertTrue(child.isAlive(), () -> "the child ended before it was killed:\n" + read(log));
                assertTrue(System.nanoTime() < deadline, () -> "no checkpoint after 5 minutes:\n" + read(log));
                Thread.sleep(5);
                Optional<Path> latest = checkpoints.latest();
                step = latest.isPresent() ? checkpoints.state(latest.get()).step() : -1;
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the child did not die");
            assertEquals(SIGKILL_EXIT, child.exitValue(), () -> "killed by SIGKILL, not ended normally:\n" + read(log));
            assertFalse(read(log).contains("finished"), "the child did not finish its run");
            return step;
        } finally {
            child.destroyForcibly();
        }
    }

    private static Map<String, float[]> floats(Map<String, Tensor> tensors) {
        Map<String, float[]> out = new TreeMap<>();
        tensors.forEach((name, t) -> out.put(name, Tensors.toFloats(t)));
        return out;
    }

    private static double maxAbsDiff(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        double max = 0;
        for (var e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            assertEquals(x.length, y.length, e.getKey());
            for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    private static List<String> trainLosses(Path runDir) throws IOException {
        Function<String, String> stepAndLoss = line -> {
            try {
                JsonNode n = JSON.readTree(line);
                return n.get("step").asLong() + ":" + n.get("train_loss").asDouble();
            } catch (IOException e) {
                throw new IllegalStateException(line, e);
            }
        };
        Path file = runDir.resolve("metrics.jsonl");
        List<String> lines = Files.readAllLines(file).stream().map(stepAndLoss).toList();
        assertEquals(RecipeProcess.STEPS, lines.size(), file.toString());
        return lines;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
