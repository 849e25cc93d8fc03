package dev.anvil.trainer.recipe;

/** Told about every optimizer step and every checkpoint, on the training thread: keep it quick. */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {
    };

    default void onStep(Progress progress) {
    }

    default void onCheckpoint(long step, java.nio.file.Path dir) {
    }
}
