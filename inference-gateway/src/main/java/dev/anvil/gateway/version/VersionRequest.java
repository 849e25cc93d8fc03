package dev.anvil.gateway.version;

/**
 * What a version is registered from (POST /admin/versions): a fine-tuning run ({@code jobId}; {@code baseModel}
 * only when the adapter does not name it), an adapter directory with its {@code baseModel}, or a model directory
 * ({@code modelPath}). Paths are relative to the data directory (or absolute inside it). {@code id} is optional.
 */
public record VersionRequest(String id, String jobId, String baseModel, String adapterPath, String modelPath) {
}
