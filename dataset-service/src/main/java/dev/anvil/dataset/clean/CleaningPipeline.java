package dev.anvil.dataset.clean;

import dev.anvil.dataset.ingest.BoundedLineReader;
import dev.anvil.dataset.ingest.UploadFormat;
import dev.anvil.dataset.pii.ConversationAnonymizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Turns one upload into cleaned, split, canonical files. Streams: memory does not hold the records.
 *
 * <p>Writes into {@code workDir}, laid out as a dataset version ({@link dev.anvil.events.datadir.DatasetVersionFiles}):
 * {@code train.jsonl}, {@code validation.jsonl} (canonical records, one JSON object a line, written through the shared
 * {@link dev.anvil.events.records.CanonicalRecordWriter}) and {@code rejects.jsonl}
 * ({@code {"line","reason","detail"}} per removed input record, in line order). The caller moves the folder into
 * place atomically.
 *
 * <p>What happens to each record, in order (see {@code docs/} and the package classes for the details):
 * <ol>
 *   <li>read and recognised per record ({@link dev.anvil.dataset.ingest.RecordDecoder}): otherwise {@code malformed};
 *   a blank line is {@code empty};</li>
 *   <li>{@code empty} (every turn blank, or a blank final answer), {@code too_long} (more than
 *   {@code maxRecordChars} characters in all turns);</li>
 *   <li>PII replaced by placeholders, counted in {@code piiRedacted} for the records that are kept; done before
 *   deduplication so that records differing only in personal data collapse;</li>
 *   <li>{@code unsafe} (the filter), {@code duplicate} (same normalised conversation as a kept record),
 *   {@code near_duplicate} (MinHash/LSH over word shingles, estimated Jaccard at or above the threshold),
 *   {@code conflict} (same normalised prompt as a kept record, different final answer; see
 *   {@link ConflictPolicy});</li>
 *   <li>split: a fixed validation file when given, otherwise a seeded split stratified by source format
 *   ({@link dev.anvil.dataset.split.StratifiedSplitter}). Since near duplicates are removed before the split, no
 *   near-duplicate pair can straddle train and validation.</li>
 * </ol>
 *
 * <p>A fixed validation file is cleaned by the same rules, after the upload and against the same indices, so a
 * validation record that duplicates or nearly duplicates a training record is removed (leakage), as is one that
 * contradicts a training answer under KEEP_FIRST/DROP_ALL. Its rejections follow the upload's in
 * {@code rejects.jsonl}, with line numbers of the validation file and a detail starting {@code validation file: }.
 * {@code input} counts the records of both files.
 */
public final class CleaningPipeline {
    /** The reasons that refuse a whole upload in strict mode. */
    static final Set<String> STRICT_REASONS = Set.of(Rejection.MALFORMED, Rejection.EMPTY, Rejection.TOO_LONG);

    private final CleaningSettings settings;
    private final UnsafeContentFilter unsafeFilter;
    private final long maxLineBytes;
    private final int parallelism;
    private final ConversationAnonymizer anonymizer = new ConversationAnonymizer();

    public CleaningPipeline(CleaningSettings settings, UnsafeContentFilter unsafeFilter, long maxLineBytes) {
        this(settings, unsafeFilter, maxLineBytes, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param parallelism threads of the per-record work (parsing stays on the calling thread, and so do the index
     *                    rules, in input order: the output does not depend on this number). The unsafe-content filter
     *                    is called from these threads at once.
     */
    public CleaningPipeline(CleaningSettings settings, UnsafeContentFilter unsafeFilter, long maxLineBytes,
                            int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.unsafeFilter = Objects.requireNonNull(unsafeFilter, "unsafeFilter");
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException(BoundedLineReader.MAX_LINE_BYTES_KEY + " must be positive, got "
                    + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Cleans {@code data} and, when given, a fixed validation file cleaned the same way and used instead of the
     * random split.
     *
     * @throws dev.anvil.dataset.ingest.InputLimitExceededException a line longer than the configured limit
     * @throws StrictModeViolationException                         strict mode and a malformed, empty or too long line
     * @throws IllegalArgumentException                             a CSV file whose header row cannot be read
     */
    public CleaningReport run(InputStream data, UploadFormat format, InputStream fixedValidation,
                              UploadFormat validationFormat, Path workDir) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(workDir, "workDir");
        if (fixedValidation != null && validationFormat == null) {
            throw new IllegalArgumentException("validationFormat is required with a fixed validation file");
        }
        Files.createDirectories(workDir);
        try (CleaningRun run = new CleaningRun(settings, unsafeFilter, maxLineBytes, workDir, anonymizer, parallelism)) {
            return run.execute(data, format, fixedValidation, validationFormat);
        }
    }
}
