package dev.anvil.dataset.clean;

import dev.anvil.dataset.ingest.UploadFormat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Turns one upload into cleaned, split, canonical files. Streams: memory does not hold the records.
 *
 * <p>Writes into {@code workDir}: {@code train.jsonl}, {@code validation.jsonl} (canonical records, one JSON object a
 * line: {@code {"messages":[{"role","content",...}],"format":"alpaca"}}) and {@code rejects.jsonl}
 * ({@code {"line","reason","detail"}} per removed input record, in line order). The caller moves the folder into
 * place atomically.
 */
public final class CleaningPipeline {

    public CleaningPipeline(CleaningSettings settings, UnsafeContentFilter unsafeFilter, long maxLineBytes) {
        throw new UnsupportedOperationException("CleaningPipeline: under construction on branch ds-core");
    }

    /**
     * Cleans {@code data} and, when given, a fixed validation file cleaned the same way and used instead of the
     * random split.
     *
     * @throws dev.anvil.dataset.ingest.InputLimitExceededException a line longer than the configured limit
     * @throws StrictModeViolationException                         strict mode and a malformed, empty or too long line
     */
    public CleaningReport run(InputStream data, UploadFormat format, InputStream fixedValidation,
                              UploadFormat validationFormat, Path workDir) throws IOException {
        throw new UnsupportedOperationException("CleaningPipeline: under construction on branch ds-core");
    }
}
