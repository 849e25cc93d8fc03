package dev.anvil.dataset.version;

import dev.anvil.dataset.ingest.UploadFormat;

import java.io.InputStream;

/**
 * The data of one new version: the records and, optionally, a fixed validation file used instead of a random split.
 * The streams are read once, by the cleaning pipeline; the caller closes them.
 */
public record Upload(InputStream data, UploadFormat format, InputStream validation, UploadFormat validationFormat) {

    public static Upload of(InputStream data, UploadFormat format) {
        return new Upload(data, format, null, null);
    }
}
