package dev.anvil.dataset.version;

import dev.anvil.dataset.DatasetServiceConfig;
import dev.anvil.dataset.clean.CleaningPipeline;
import dev.anvil.dataset.clean.CleaningSettings;
import dev.anvil.dataset.clean.UnsafeContentFilter;
import jakarta.enterprise.context.ApplicationScoped;

/** A cleaning pipeline per run, with the configured unsafe-content filter and line limit. */
@ApplicationScoped
public class CleaningPipelineFactory {

    private final UnsafeContentFilter unsafeFilter;
    private final DatasetServiceConfig config;

    public CleaningPipelineFactory(UnsafeContentFilter unsafeFilter, DatasetServiceConfig config) {
        this.unsafeFilter = unsafeFilter;
        this.config = config;
    }

    public CleaningPipeline create(CleaningSettings settings) {
        return new CleaningPipeline(settings, unsafeFilter, config.maxLineBytes());
    }

    /** The service's settings with the caller's choices for the per-upload knobs. */
    public CleaningSettings settings(double validationFraction, long seed, boolean strict,
                                     double nearDuplicateThreshold) {
        return new CleaningSettings(validationFraction, seed, strict, nearDuplicateThreshold,
                config.maxRecordChars(), config.conflictPolicy());
    }
}
