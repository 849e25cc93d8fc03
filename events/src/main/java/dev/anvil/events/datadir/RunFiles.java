package dev.anvil.events.datadir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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

    /** The exported PEFT adapter ({@code adapter/} holding its {@code adapter_config.json}), if the run has one. */
    public Optional<Path> exportedAdapter() {
        return holding(adapter(), "adapter_config.json");
    }

    /**
     * The exported model in Hugging Face layout: {@code merged/} when an adapter was merged into its base, else
     * {@code model/} of a full fine-tune; empty when there is neither.
     */
    public Optional<Path> exportedModel() {
        return holding(merged(), "config.json").or(() -> holding(model(), "config.json"));
    }

    private static Optional<Path> holding(Path folder, String file) {
        return Files.isRegularFile(folder.resolve(file)) ? Optional.of(folder) : Optional.empty();
    }

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
