package dev.anvil.eval.evaluation;

import dev.anvil.eval.EvalConfig;
import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.eval.verdict.Decision;
import dev.anvil.eval.verdict.Judge;
import dev.anvil.eval.verdict.Policy;
import dev.anvil.events.InvalidEventException;
import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.datadir.InvalidDataNameException;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.service.http.RefusedException;
import dev.anvil.service.tracing.Traceparent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The evaluations: submitted (checked, then queued for whichever replica claims it first), read, and finished by
 * the replica holding them. Submitting fires {@link Submitted} so that this replica's runner wakes at once. Each
 * outcome is counted ({@link EvaluationMeters}) once it is written. An evaluation keeps the trace it was submitted
 * in, which its published verdict continues.
 */
@ApplicationScoped
public class Evaluations {
    private static final Logger LOG = Logger.getLogger(Evaluations.class);
    public static final int MAX_LIST = 500;
    private static final int MAX_TEXT_CHARS = 4_000;

    /** An evaluation was queued. */
    public record Submitted(String id) {
    }

    private final DataDirectory dataDir;
    private final EvalConfig config;
    private final ModelResolver models;
    private final Event<Submitted> submitted;
    private final EvaluationMeters meters;

    public Evaluations(@ConfigProperty(name = "anvil.data-dir") Path dataDir, EvalConfig config,
                       Event<Submitted> submitted, EvaluationMeters meters) {
        this.dataDir = new DataDirectory(dataDir);
        this.config = config;
        this.models = new ModelResolver(this.dataDir);
        this.submitted = submitted;
        this.meters = meters;
    }

    /** Checks what {@code request} names and queues it; a refusal names the field at fault. */
    public EvaluationView submit(EvaluationRequest request) {
        if (request == null) throw RefusedException.invalid("a JSON object body is required");
        ModelUnderTest candidate = models.resolve(request.candidate(), "candidate");
        ModelUnderTest baseline = request.baseline() != null ? models.resolve(request.baseline(), "baseline")
                : defaultBaseline(candidate);
        Evaluation e = new Evaluation();
        e.id = UUID.randomUUID().toString();
        e.status = EvaluationStatus.QUEUED;
        e.route = request.route() == null ? null : ModelResolver.name(request.route(), "route");
        setSides(e, candidate, baseline);
        requireValidationSplit(request.dataset());
        e.datasetName = request.dataset().name();
        e.datasetVersion = request.dataset().version();
        e.maxExamples = maxExamples(request.maxExamples());
        e.generationJson = EvaluationView.write(GenerationSettings.resolve(request.generation(), config.maxNewTokens()));
        e.policyJson = EvaluationView.write(policy(request.policy()));
        e.createdAt = Instant.now();
        e.traceparent = Traceparent.current();
        QuarkusTransaction.requiringNew().run(e::persist);
        LOG.infof("evaluation %s queued: %s against %s on %s/%s", e.id, candidate.describe(), baseline.describe(),
                e.datasetName, e.datasetVersion);
        submitted.fire(new Submitted(e.id));
        return EvaluationView.of(e, null);
    }

    /**
     * Queues the evaluation of a completed job's result against its base, on its dataset version's validation split,
     * under the configured policy; once per job (a redelivered event finds it and changes nothing). What the event
     * names but the data directory lacks (the base, the adapter, the dataset) makes a failed evaluation with the
     * reason, so that a verdict is still published; paths that leave the data directory make the event invalid.
     */
    public void submitTrained(TrainingCompleted done) {
        String jobId;
        try {
            jobId = DataNames.require(done.jobId(), "jobId");
        } catch (InvalidDataNameException e) {
            throw new InvalidEventException(e.getMessage(), e);
        }
        if (byModelVersion(jobId).isPresent()) return;
        Evaluation e = new Evaluation();
        e.id = UUID.randomUUID().toString();
        e.modelVersion = jobId;
        e.route = done.route();
        e.status = EvaluationStatus.QUEUED;
        e.candidateBase = done.baseModel();
        e.candidateAdapter = confinedOrInvalid(done.adapterPath(), "adapterPath");
        e.candidateModel = done.adapterPath() == null ? confinedOrInvalid(done.mergedModelPath(), "mergedModelPath") : null;
        e.baselineBase = done.baseModel();
        e.datasetName = done.dataset() == null ? "unknown" : done.dataset().name();
        e.datasetVersion = done.dataset() == null ? "unknown" : done.dataset().version();
        e.maxExamples = Math.min(config.maxExamples(), config.maxExamplesLimit());
        e.generationJson = EvaluationView.write(GenerationSettings.resolve(null, config.maxNewTokens()));
        e.policyJson = EvaluationView.write(policy(null));
        e.createdAt = Instant.now();
        e.traceparent = Traceparent.current();
        try {
            if (done.dataset() == null) throw RefusedException.invalid("the TrainingCompleted event names no dataset");
            setSides(e, models.resolve(new EvaluationRequest.ModelSpec(done.baseModel(), e.candidateAdapter,
                    e.candidateModel, null), "candidate"), ModelUnderTest.base(done.baseModel()));
            requireValidationSplit(new EvaluationRequest.DatasetSpec(e.datasetName, e.datasetVersion));
        } catch (RefusedException refused) {
            e.fail(refused.getMessage());
            e.verdict = Verdict.FAIL.wireName();
            e.reasonsJson = EvaluationView.write(List.of("not evaluated: " + refused.getMessage()));
        }
        QuarkusTransaction.requiringNew().run(e::persist);
        if (e.status == EvaluationStatus.FAILED) meters.failed();
        LOG.infof("evaluation %s of job %s %s", e.id, jobId, e.status == EvaluationStatus.QUEUED ? "queued"
                : "failed at once: " + e.error);
        submitted.fire(new Submitted(e.id));
    }

    public EvaluationView get(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Evaluation e = find(id);
            return EvaluationView.of(e, EvaluationExample.<EvaluationExample>find("evaluationId", Sort.by("position"),
                    id).list());
        });
    }

    /** The evaluation without its per-example results; 404 when there is none. */
    public EvaluationView summary(String id) {
        return QuarkusTransaction.requiringNew().call(() -> EvaluationView.of(find(id), null));
    }

    /** The newest first, all or those of one model version. */
    public List<EvaluationView> list(int limit, String modelVersion) {
        if (limit < 1 || limit > MAX_LIST) throw RefusedException.invalid("limit must be 1-" + MAX_LIST);
        Sort newest = Sort.descending("createdAt").and("id");
        return QuarkusTransaction.requiringNew().call(() -> (modelVersion == null ? Evaluation.<Evaluation>findAll(newest)
                : Evaluation.<Evaluation>find("modelVersion", newest, ModelResolver.name(modelVersion, "modelVersion")))
                .page(Page.ofSize(limit)).list().stream().map(e -> EvaluationView.of(e, null)).toList());
    }

    /** The evaluation as stored, for the replica that claimed it. */
    Evaluation claimed(String id) {
        return QuarkusTransaction.requiringNew().call(() -> find(id));
    }

    /** Writes the outcome if {@code owner} still holds the evaluation; a restarted attempt replaces its examples. */
    void complete(String id, String owner, EvaluationRun.Outcome outcome) {
        Verdict verdict = QuarkusTransaction.requiringNew().call(() -> {
            Evaluation e = held(id, owner);
            EvaluationExample.delete("evaluationId", id);
            for (int i = 0; i < outcome.examples().size(); i++) {
                EvaluationRun.ExampleScore s = outcome.examples().get(i);
                EvaluationExample x = new EvaluationExample();
                x.evaluationId = id;
                x.position = i;
                x.line = s.line();
                x.reference = bounded(s.reference());
                x.tokens = s.tokens();
                x.baselineNll = s.baselineNll();
                x.candidateNll = s.candidateNll();
                x.baselineOutput = bounded(s.baselineOutput());
                x.candidateOutput = bounded(s.candidateOutput());
                x.baselineScoresJson = s.baselineScores() == null ? null : EvaluationView.write(s.baselineScores());
                x.candidateScoresJson = s.candidateScores() == null ? null : EvaluationView.write(s.candidateScores());
                x.persist();
            }
            e.metricsJson = EvaluationView.write(outcome.candidate());
            e.baseMetricsJson = EvaluationView.write(outcome.baseline());
            Decision decision = new Judge().decide(EvaluationView.read(e.policyJson, Policy.class),
                    outcome.candidate(), outcome.baseline());
            e.verdict = decision.verdict().wireName();
            e.reasonsJson = EvaluationView.write(decision.reasons());
            e.status = EvaluationStatus.COMPLETED;
            e.finishedAt = Instant.now();
            e.owner = null;
            return decision.verdict();
        });
        meters.completed(verdict, outcome.examples().size());
    }

    /** Records where {@code owner}'s run of the evaluation is; nothing when it no longer holds it. */
    void progress(String id, String owner, String phase, int done, int total) {
        QuarkusTransaction.requiringNew().run(() -> Evaluation.update("phase = ?1, progressDone = ?2, progressTotal = ?3 "
                + "where id = ?4 and owner = ?5 and status = ?6", phase, done, total, id, owner, EvaluationStatus.RUNNING));
    }

    /** Marks the evaluation failed with {@code why} if {@code owner} still holds it. */
    void fail(String id, String owner, String why) {
        QuarkusTransaction.requiringNew().run(() -> {
            Evaluation e = held(id, owner);
            e.fail(why);
            e.verdict = Verdict.FAIL.wireName();
            e.reasonsJson = EvaluationView.write(List.of("evaluation failed: " + e.error));
            e.owner = null;
        });
        meters.failed();
    }

    private static Evaluation held(String id, String owner) {
        Evaluation e = Evaluation.findById(id);
        if (e == null || !owner.equals(e.owner) || e.status != EvaluationStatus.RUNNING) {
            throw new LeaseLostException(id);
        }
        return e;
    }

    private static Evaluation find(String id) {
        // A static call, not a method reference: Panache implements findById in the entity class at build time.
        Evaluation e = id == null || id.length() > 128 ? null : Evaluation.findById(id);
        if (e == null) throw RefusedException.notFound("evaluation '" + abbreviate(id) + "' does not exist");
        return e;
    }

    /** The configured policy with the request's fields over it. */
    private Policy policy(Policy asked) {
        try {
            return config.policy().toPolicy().withOverrides(asked).validate();
        } catch (IllegalArgumentException e) {
            throw RefusedException.invalid(e.getMessage());
        }
    }

    private static Optional<Evaluation> byModelVersion(String modelVersion) {
        return QuarkusTransaction.requiringNew().call(() ->
                Evaluation.<Evaluation>find("modelVersion", modelVersion).firstResultOptional());
    }

    /** An event's data-dir relative path, kept relative; one that leaves the data directory makes the event invalid. */
    private String confinedOrInvalid(String path, String field) {
        if (path == null) return null;
        try {
            return dataDir.relative(dataDir.confined(Path.of(path), field));
        } catch (InvalidDataNameException | InvalidPathException e) {
            throw new InvalidEventException(field + ": " + e.getMessage(), e);
        }
    }

    /** Without a baseline, the candidate's base model: what the candidate must beat. */
    private static ModelUnderTest defaultBaseline(ModelUnderTest candidate) {
        if (candidate.baseModel() == null) {
            throw RefusedException.invalid("baseline is required: candidate.modelPath names no baseModel to compare with");
        }
        if (candidate.adapterPath() == null && candidate.modelPath() == null) {
            throw RefusedException.invalid("baseline is required: the candidate is the base model itself");
        }
        return ModelUnderTest.base(candidate.baseModel());
    }

    /** A dataset version in the data directory with a validation split to evaluate on. */
    private void requireValidationSplit(EvaluationRequest.DatasetSpec spec) {
        if (spec == null) throw RefusedException.invalid("dataset is required (name and version)");
        ModelResolver.name(spec.name(), "dataset.name");
        ModelResolver.name(spec.version(), "dataset.version");
        DatasetVersionFiles files = dataDir.datasetVersion(spec.name(), spec.version());
        if (!Files.isDirectory(files.dir())) {
            throw RefusedException.invalid("dataset '" + spec.name() + "' version '" + spec.version()
                    + "' does not exist in the data directory");
        }
        if (!ValidationSplit.isPresent(files)) {
            throw RefusedException.invalid("dataset '" + spec.name() + "' version '" + spec.version()
                    + "' has an empty validation split: there is nothing to evaluate on");
        }
    }

    private int maxExamples(Integer asked) {
        if (asked == null) return Math.min(config.maxExamples(), config.maxExamplesLimit());
        if (asked < 1 || asked > config.maxExamplesLimit()) {
            throw RefusedException.invalid("maxExamples must be 1-" + config.maxExamplesLimit()
                    + " (anvil.eval.max-examples-limit), got " + asked);
        }
        return asked;
    }

    private static void setSides(Evaluation e, ModelUnderTest candidate, ModelUnderTest baseline) {
        e.candidateBase = candidate.baseModel();
        e.candidateAdapter = candidate.adapterPath();
        e.candidateModel = candidate.modelPath();
        e.baselineBase = baseline.baseModel();
        e.baselineAdapter = baseline.adapterPath();
        e.baselineModel = baseline.modelPath();
    }

    /** Stored texts are cut: a per-example view is for reading, not for reproducing the split. */
    private static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS);
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
