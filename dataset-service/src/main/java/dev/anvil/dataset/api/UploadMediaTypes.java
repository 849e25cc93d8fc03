package dev.anvil.dataset.api;

import dev.anvil.dataset.ingest.UploadFormat;
import jakarta.ws.rs.core.MediaType;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Which upload format a media type or a file name stands for. */
final class UploadMediaTypes {

    static final String NDJSON = "application/x-ndjson";
    static final String JSONL = "application/jsonl";
    static final String CSV = "text/csv";
    static final String SUPPORTED = NDJSON + ", " + JSONL + ", " + MediaType.APPLICATION_JSON + ", " + CSV
            + " or " + MediaType.MULTIPART_FORM_DATA;

    private static final Map<String, UploadFormat> BY_TYPE = Map.of(
            NDJSON, UploadFormat.JSON,
            JSONL, UploadFormat.JSON,
            MediaType.APPLICATION_JSON, UploadFormat.JSON,
            CSV, UploadFormat.CSV);

    private static final Map<String, UploadFormat> BY_EXTENSION = Map.of(
            "jsonl", UploadFormat.JSON,
            "ndjson", UploadFormat.JSON,
            "json", UploadFormat.JSON,
            "csv", UploadFormat.CSV);

    private UploadMediaTypes() {
    }

    static Optional<UploadFormat> ofMediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return Optional.empty();
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            return Optional.ofNullable(BY_TYPE.get((type.getType() + "/" + type.getSubtype())
                    .toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** The format of a multipart file: its part's content type, else its file name's extension. */
    static Optional<UploadFormat> ofPart(String contentType, String fileName) {
        return ofMediaType(contentType).or(() -> {
            if (fileName == null || fileName.lastIndexOf('.') < 0) {
                return Optional.empty();
            }
            String extension = fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return Optional.ofNullable(BY_EXTENSION.get(extension));
        });
    }
}
