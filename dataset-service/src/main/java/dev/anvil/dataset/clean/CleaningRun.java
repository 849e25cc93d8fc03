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
import dev.anvil.dataset.pii.PiiAnonymizer;
import dev.anvil.dataset.split.StratifiedSplitter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
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

/**
 * The state of one {@link CleaningPipeline#run}: the rules with their indices, the counters and the temporary files.
 *
 * <p>Pass 1 reads the upload (then the fixed validation file, if any) record by record and sends each through the
 * rules in this order: empty, too long, then PII anonymisation, then unsafe, exact duplicate, near duplicate and
 * conflict (a near-identical answer to the same prompt is a near duplicate, not a contradiction); a kept record is staged in a temporary file. Pass 2 reads the staged records back, drops those that a
 * later conflict condemned (DROP_ALL), splits and writes the canonical files.
 */
final class CleaningRun implements Closeable {
    private static final int WRITE_BUFFER = 1 << 16;
    private static final String VALIDATION_PREFIX = "validation file: ";

    private final CleaningSettings settings;
    private final long maxLineBytes;
    private final Path workDir;
    private final PiiAnonymizer anonymizer;
    private final ConversationSigner signer = new ConversationSigner(MinHasher.DEFAULT_SIZE);
    private final NearDuplicateIndex nearDuplicates;
    private final ConflictRule conflictRule;
    private final List<CleaningRule> beforeAnonymisation;
    private final List<CleaningRule> afterAnonymisation;
    private final List<CleaningRule> allRules = new ArrayList<>();
    private final List<Path> temporaryFiles = new ArrayList<>();
    private final Map<String, Long> removed = new LinkedHashMap<>();
    private final Map<SourceFormat, Long> keptInUpload = new EnumMap<>(SourceFormat.class);
    private final DatasetStats stats = new DatasetStats();
    private long input;
    private long train;
    private long validation;
    private long piiRedacted;

    CleaningRun(CleaningSettings settings, UnsafeContentFilter unsafeFilter, long maxLineBytes, Path workDir,
                PiiAnonymizer anonymizer) throws IOException {
        this.settings = settings;
        this.maxLineBytes = maxLineBytes;
        this.workDir = workDir;
        this.anonymizer = anonymizer;
        this.nearDuplicates = new NearDuplicateIndex(settings.nearDuplicateThreshold(), MinHasher.DEFAULT_SIZE,
                temporary(".signatures.bin"));
        this.conflictRule = new ConflictRule(settings.conflictPolicy());
        this.beforeAnonymisation = List.of(new EmptyRule(), new TooLongRule(settings.maxRecordChars()));
        this.afterAnonymisation = List.of(new UnsafeRule(unsafeFilter), new DuplicateRule(),
                new NearDuplicateRule(nearDuplicates, settings.nearDuplicateThreshold()), conflictRule);
        allRules.addAll(beforeAnonymisation);
        allRules.addAll(afterAnonymisation);
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

        try (Writer trainOut = writer(workDir.resolve(CleaningPipeline.TRAIN_FILE));
             Writer validationOut = writer(workDir.resolve(CleaningPipeline.VALIDATION_FILE));
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
        }
        try (Writer rejects = writer(workDir.resolve(CleaningPipeline.REJECTS_FILE))) {
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
            for (IngestedRecord record; (record = records.next()) != null; ) {
                input++;
                if (record instanceof IngestedRecord.Unreadable unreadable) {
                    String reason = unreadable.problem() == IngestedRecord.Problem.BLANK
                            ? Rejection.EMPTY : Rejection.MALFORMED;
                    reject(rejects, unreadable.line(), reason, unreadable.detail(), isValidation);
                } else if (record instanceof IngestedRecord.Parsed parsed) {
                    clean(parsed, isValidation, stagedOut, rejects);
                }
            }
        }
    }

    private void clean(IngestedRecord.Parsed parsed, boolean isValidation, Writer staged, RejectLog rejects)
            throws IOException {
        Candidate candidate = new Candidate(parsed.line(), isValidation, parsed.conversation(), signer);
        if (removedByAny(beforeAnonymisation, candidate, rejects)) {
            return;
        }
        PiiAnonymizer.AnonymizedConversation anonymised = anonymizer.anonymize(candidate.conversation());
        candidate.replace(anonymised.conversation());
        if (removedByAny(afterAnonymisation, candidate, rejects)) {
            return;
        }
        for (CleaningRule rule : allRules) {
            rule.accept(candidate);
        }
        SourceFormat format = candidate.conversation().format();
        if (!isValidation) {
            keptInUpload.merge(format, 1L, Long::sum);
        }
        StagedRecord record = new StagedRecord(candidate.line(), format, candidate.hasPrompt(),
                candidate.promptHash(), anonymised.redactions(), RecordSummary.of(candidate.conversation()),
                CanonicalJson.write(candidate.conversation()));
        staged.write(record.toLine());
        staged.write('\n');
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
                            Writer trainOut, Writer validationOut) throws IOException {
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
                Writer out = toValidation ? validationOut : trainOut;
                out.write(record.json());
                out.write('\n');
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
        nearDuplicates.close();
        for (Path file : temporaryFiles) {
            Files.deleteIfExists(file);
        }
    }
}
