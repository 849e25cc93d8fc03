package dev.anvil.events.datadir;

import java.nio.file.Path;

/**
 * The files of one fine-tuning run, {@code runs/<jobId>/}: the exported weights ({@code adapter/} in PEFT layout
 * for LoRA and QLoRA, {@code model/} for a full fine-tune, {@code merged/} for an adapter merged into its base),
 * {@code best/} (the best validation step so far), {@code checkpoints/} and {@code metrics.jsonl} (one JSON object
 * per optimizer step). A checkpoint folder holds its weights under the same {@link #ADAPTER} or {@link #MODEL} name.
 */
public record RunFiles(Path dir) {
    public static final String ADAPTER = "adapter";
    public static final String MODEL = "model";
    static final String MERGED = "merged";
    static final String BEST = "best";
    static final String CHECKPOINTS = "checkpoints";
    static final String METRICS = "metrics.jsonl";

    public Path adapter() {
        return dir.resolve(ADAPTER);
    }

    public Path model() {
        return dir.resolve(MODEL);
    }

    public Path merged() {
        return dir.resolve(MERGED);
    }

    public Path best() {
        return dir.resolve(BEST);
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    public Path metrics() {
        return dir.resolve(METRICS);
    }
}
