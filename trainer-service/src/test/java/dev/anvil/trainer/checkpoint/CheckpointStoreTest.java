package dev.anvil.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @Test
    void keepsTheNewestAndRoundTripsTheState(@TempDir Path dir) {
        CheckpointStore store = new CheckpointStore(dir, 2);
        assertTrue(store.latest().isEmpty());
        // Before any evaluation the best loss is infinite and, without a validation split, the initial one NaN.
        TrainingState fresh = TrainingState.start(5, Double.NaN);
        for (long step : new long[] {3, 6, 9}) {
            TrainingState s = new TrainingState(step, 1, 2, 5, Double.NaN, Double.POSITIVE_INFINITY, -1, 0);
            store.save(s, d -> write(d.resolve("weights.bin"), "step " + step));
        }
        List<Path> kept = store.list();
        assertEquals(List.of(dir.resolve("step-000000006"), dir.resolve("step-000000009")), kept);
        TrainingState read = store.state(store.latest().orElseThrow());
        assertEquals(new TrainingState(9, 1, 2, 5, Double.NaN, Double.POSITIVE_INFINITY, -1, 0), read);
        assertEquals(0, fresh.step());
    }

    @Test
    void aFailedWriteLeavesNoCheckpoint(@TempDir Path dir) {
        CheckpointStore store = new CheckpointStore(dir, 2);
        TrainingState s = TrainingState.start(1, 2.5);
        assertThrows(UncheckedIOException.class, () -> store.save(s, d -> {
            throw new UncheckedIOException(new IOException("disk full"));
        }));
        assertTrue(store.latest().isEmpty(), "a half-written checkpoint is never listed");
        assertFalse(Files.exists(dir.resolve("step-000000000")));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
