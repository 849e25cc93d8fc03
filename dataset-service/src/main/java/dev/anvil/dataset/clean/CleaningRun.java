package dev.anvil.dataset.clean;

import dev.anvil.dataset.dedup.ConversationSigner;
import dev.anvil.dataset.dedup.MinHasher;
import dev.anvil.dataset.dedup.NearDuplicateIndex;
import dev.anvil.dataset.ingest.CanonicalJson;
import dev.anvil.dataset.ingest.IngestedRecord;
import dev.anvil.dataset.ingest.RecordStream;
import dev.anvil.dataset.ingest.RecordStreams;
import dev.anvil.dataset.ingest.SourceFormat;
import dev.anvil.dataset.ingest.UploadFormat;
import dev.anvil.dataset.pii.ConversationAnonymizer;
import dev.anvil.dataset.split.StratifiedSplitter;
import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.records.CanonicalRecordWriter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * The state of one {@link CleaningPipeline#run}: the rules with their indices, the counters and the temporary files.
 *
 * <p>Pass 1 reads the upload (then the fixed validation file, if any) record by record and sends each through the
 * rules in this order: empty, too long, then PII anonymisation, then unsafe, exact duplicate, near duplicate and
 * conflict (a near-identical answer to the same prompt is a near duplicate, not a contradiction). The work up to the
 * unsafe rule runs on a pool of workers, a batch at a time; the index rules run in input order on the calling
 * thread. A kept record is staged in a temporary file. Pass 2 reads the staged records back, drops those that a later
 * conflict condemned (DROP_ALL), splits and writes the canonical files.
 */
final class CleaningRun implements Closeable {
    private static final int WRITE_BUFFER = 1 << 16;
    private static final int BATCH_SIZE = 1024;
    private static final String VALIDATION_PREFIX = "validation file: ";

    private final CleaningSettings settings;
    private final long maxLineBytes;
    private final Path workDir;
    private final ConversationAnonymizer anonymizer;
    /** Signature scratch buffers, one set per worker thread. */
    private final ThreadLocal<ConversationSigner> signers =
            ThreadLocal.withInitial(() -> new ConversationSigner(MinHasher.DEFAULT_SIZE));
    private final ForkJoinPool workers;
    private final NearDuplicateIndex nearDuplicates;
    private final ConflictRule conflictRule;
    private final List<CleaningRule> beforeAnonymisation;
    private final List<CleaningRule> perRecordAfterAnonymisation;
    private final List<CleaningRule> indexRules;
    private final List<Path> temporaryFiles = new ArrayList<>();
    private final Map<String, Long> removed = new LinkedHashMap<>();
    private final Map<SourceFormat, Long> keptInUpload = new EnumMap<>(SourceFormat.class);
    private final DatasetStats stats = new DatasetStats();
    private long input;
    private long train;
    private long validation;
    private long piiRedacted;

    CleaningRun(CleaningSettings settings, UnsafeContentFilter unsafeFilter, long maxLineBytes, Path workDir,
                ConversationAnonymizer anonymizer, int parallelism) throws IOException {
        this.settings = settings;
        this.workers = new ForkJoinPool(parallelism);
        this.maxLineBytes = maxLineBytes;
        this.workDir = workDir;
        this.anonymizer = anonymizer;
        this.nearDuplicates = new NearDuplicateIndex(settings.nearDuplicateThreshold(), MinHasher.DEFAULT_SIZE,
                temporary(".signatures.bin"));
        this.conflictRule = new ConflictRule(settings.conflictPolicy());
        this.beforeAnonymisation = List.of(new EmptyRule(), new TooLongRule(settings.maxRecordChars()));
        this.perRecordAfterAnonymisation = List.of(new UnsafeRule(unsafeFilter));
        this.indexRules = List.of(new DuplicateRule(),
                new NearDuplicateRule(nearDuplicates, settings.nearDuplicateThreshold()), conflictRule);
        for (String reason : List.of(Rejection.MALFORMED, Rejection.EMPTY, Rejection.TOO_LONG, Rejection.DUPLICATE,
                Rejection.NEAR_DUPLICATE, Rejection.UNSAFE, Rejection.CONFLICT)) {
            removed.put(reason, 0L);
        }
    }

    CleaningReport execute(InputStream data, UploadFormat format, InputStream fixedValidation,
                           UploadFormat validationFormat) throws IOException {
        Path stagedUpload = temporary(".staged-upload.tsv");
        Path uploadRejects = temporary(".rejects-upload-1.jsonl");
        Path uploadLateRejects = temporary(".rejects-upload-2.jsonl");
        Path stagedValidation = temporary(".staged-validation.tsv");
        Path validationRejects = temporary(".rejects-validation-1.jsonl");
        Path validationLateRejects = temporary(".rejects-validation-2.jsonl");

        ingest(data, format, false, stagedUpload, uploadRejects);
        if (fixedValidation != null) {
            ingest(fixedValidation, validationFormat, true, stagedValidation, validationRejects);
        } else {
            Files.createFile(validationRejects);
        }

        DatasetVersionFiles version = DatasetVersionFiles.in(workDir);
        try (CanonicalRecordWriter trainOut = CanonicalRecordWriter.create(version.train());
             CanonicalRecordWriter validationOut = CanonicalRecordWriter.create(version.validation());
             RejectLog uploadLate = new RejectLog(uploadLateRejects);
             RejectLog validationLate = new RejectLog(validationLateRejects)) {
            if (fixedValidation == null) {
                Map<SourceFormat, Long> counts = new EnumMap<>(keptInUpload);
                conflictRule.keptToDropInUpload().forEach((f, n) -> counts.merge(f, -n, Long::sum));
                StratifiedSplitter splitter = new StratifiedSplitter(counts, settings.validationFraction(),
                        settings.seed());
                distribute(stagedUpload, false, uploadLate, record -> splitter.toValidation(record.format()),
                        trainOut, validationOut);
            } else {
                distribute(stagedUpload, false, uploadLate, record -> false, trainOut, validationOut);
                distribute(stagedValidation, true, validationLate, record -> true, trainOut, validationOut);
            }
            trainOut.commit();
            validationOut.commit();
        }
        try (Writer rejects = writer(version.rejects())) {
            RejectLog.merge(uploadRejects, uploadLateRejects, rejects);
            RejectLog.merge(validationRejects, validationLateRejects, rejects);
        }
        return new CleaningReport(input, train + validation, train, validation, Map.copyOf(removed), piiRedacted,
                conflictRule.conflicts(), stats.toMap());
    }

    private void ingest(InputStream in, UploadFormat format, boolean isValidation, Path staged, Path rejectFile)
            throws IOException {
        try (RecordStream records = RecordStreams.open(in, format, maxLineBytes);
             Writer stagedOut = writer(staged);
             RejectLog rejects = new RejectLog(rejectFile)) {
            List<IngestedRecord> batch = new ArrayList<>(BATCH_SIZE);
            for (IngestedRecord record; (record = records.next()) != null; ) {
                batch.add(record);
                if (batch.size() == BATCH_SIZE) {
                    cleanBatch(batch, isValidation, stagedOut, rejects);
                    batch.clear();
                }
            }
            cleanBatch(batch, isValidation, stagedOut, rejects);
        }
    }

    /**
     * The per-record work that needs no shared state (recognition is already done; the empty, too long and unsafe
     * rules, anonymisation, fingerprints, the canonical JSON) runs on the worker pool; the rules backed by indices
     * then run in input order on this thread, so the result does not depend on the number of workers.
     */
    private void cleanBatch(List<IngestedRecord> batch, boolean isValidation, Writer staged, RejectLog rejects)
            throws IOException {
        List<Prepared> prepared;
        try {
            prepared = workers.submit(() -> batch.parallelStream().map(r -> prepare(r, isValidation)).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while cleaning", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
        for (Prepared record : prepared) {
            input++;
            if (record.reason() != null) {
                reject(rejects, record.line(), record.reason(), record.detail(), isValidation);
                continue;
            }
            Candidate candidate = record.candidate();
            if (removedByAny(indexRules, candidate, rejects)) {
                continue;
            }
            for (CleaningRule rule : indexRules) {
                rule.accept(candidate);
            }
            SourceFormat format = candidate.conversation().format();
            if (!isValidation) {
                keptInUpload.merge(format, 1L, Long::sum);
            }
            StagedRecord stagedRecord = new StagedRecord(candidate.line(), format, candidate.hasPrompt(),
                    candidate.promptHash(), record.redactions(), RecordSummary.of(candidate.conversation()),
                    record.json());
            staged.write(stagedRecord.toLine());
            staged.write('\n');
        }
    }

    /** A record after the per-record work: either removed ({@code reason} set) or ready for the index rules. */
    private record Prepared(long line, String reason, String detail, Candidate candidate, int redactions,
                            String json) {
        static Prepared removed(long line, String reason, String detail) {
            return new Prepared(line, reason, detail, null, 0, null);
        }
    }

    private Prepared prepare(IngestedRecord record, boolean isValidation) {
        if (record instanceof IngestedRecord.Unreadable unreadable) {
            String reason = unreadable.problem() == IngestedRecord.Problem.BLANK
                    ? Rejection.EMPTY : Rejection.MALFORMED;
            return Prepared.removed(unreadable.line(), reason, unreadable.detail());
        }
        IngestedRecord.Parsed parsed = (IngestedRecord.Parsed) record;
        Candidate candidate = new Candidate(parsed.line(), isValidation, parsed.conversation(), signers.get());
        Prepared removed = firstRemoval(beforeAnonymisation, candidate);
        if (removed != null) {
            return removed;
        }
        ConversationAnonymizer.AnonymizedConversation anonymised = anonymizer.anonymize(candidate.conversation());
        candidate.replace(anonymised.conversation());
        removed = firstRemoval(perRecordAfterAnonymisation, candidate);
        if (removed != null) {
            return removed;
        }
        candidate.contentHash();
        candidate.signature();
        return new Prepared(candidate.line(), null, null, candidate, anonymised.redactions(),
                CanonicalJson.write(candidate.conversation()));
    }

    private static Prepared firstRemoval(List<CleaningRule> rules, Candidate candidate) {
        for (CleaningRule rule : rules) {
            Optional<String> why;
            try {
                why = rule.check(candidate);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (why.isPresent()) {
                return Prepared.removed(candidate.line(), rule.reason(), why.get());
            }
        }
        return null;
    }

    private boolean removedByAny(List<CleaningRule> rules, Candidate candidate, RejectLog rejects)
            throws IOException {
        for (CleaningRule rule : rules) {
            Optional<String> why = rule.check(candidate);
            if (why.isPresent()) {
                reject(rejects, candidate.line(), rule.reason(), why.get(), candidate.isValidation());
                return true;
            }
        }
        return false;
    }

    private void reject(RejectLog rejects, long line, String reason, String detail, boolean isValidation)
            throws IOException {
        removed.merge(reason, 1L, Long::sum);
        Rejection rejection = new Rejection(line, reason, isValidation ? VALIDATION_PREFIX + detail : detail);
        if (settings.strict() && CleaningPipeline.STRICT_REASONS.contains(reason)) {
            throw new StrictModeViolationException(rejection);
        }
        rejects.add(rejection);
    }

    /** Where a staged record goes: true for validation. */
    private interface Split {
        boolean toValidation(StagedRecord record);
    }

    private void distribute(Path staged, boolean isValidationFile, RejectLog lateRejects, Split split,
                            CanonicalRecordWriter trainOut, CanonicalRecordWriter validationOut) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(staged, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                StagedRecord record = StagedRecord.parse(line);
                if (conflictRule.dropsKept(record.hasPrompt(), record.promptHash())) {
                    reject(lateRejects, record.line(), Rejection.CONFLICT,
                            "its prompt has another answer later in the data (conflict policy DROP_ALL)",
                            isValidationFile);
                    continue;
                }
                boolean toValidation = split.toValidation(record);
                (toValidation ? validationOut : trainOut).writeLine(record.json());
                if (toValidation) {
                    validation++;
                } else {
                    train++;
                }
                piiRedacted += record.piiRedactions();
                stats.add(record.format(), record.summary());
            }
        }
    }

    private Path temporary(String name) {
        Path path = workDir.resolve(name);
        temporaryFiles.add(path);
        return path;
    }

    private static Writer writer(Path path) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8),
                WRITE_BUFFER);
    }

    @Override
    public void close() throws IOException {
        workers.shutdownNow();
        nearDuplicates.close();
        for (Path file : temporaryFiles) {
            Files.deleteIfExists(file);
        }
    }
}
