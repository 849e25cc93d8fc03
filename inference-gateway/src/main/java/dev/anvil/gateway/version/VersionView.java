package dev.anvil.gateway.version;

import java.time.Instant;

/** A version as the admin API shows it; {@code kind} is {@code adapter} or {@code model}. */
public record VersionView(String id, String kind, String baseModel, String adapterPath, String modelPath,
                          String jobId, Instant createdAt) {
    static VersionView of(ModelVersion v) {
        return new VersionView(v.id, v.hasAdapter() ? "adapter" : "model", v.baseModel, v.adapterPath, v.modelPath,
                v.jobId, v.createdAt);
    }
}
