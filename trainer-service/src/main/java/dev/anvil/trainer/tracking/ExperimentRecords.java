package dev.anvil.trainer.tracking;

import dev.anvil.events.training.TrainingRequested;
import dev.anvil.trainer.recipe.Progress;
import dev.anvil.trainer.recipe.RecipeSpec;
import dev.anvil.trainer.recipe.RunResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Writes and reads the experiment records; the job runner tells it when a run starts, steps and ends. */
@ApplicationScoped
public class ExperimentRecords {
    private final ModelChecksum checksums;
    private final Path dataDir;

    public ExperimentRecords(ModelChecksum checksums, @ConfigProperty(name = "anvil.data-dir") Path dataDir) {
        this.checksums = checksums;
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * The base model's checksum: called before {@link #started}, outside any transaction, as the first hashing of
     * a large model takes a while.
     */
    public String checksum(RecipeSpec spec) {
        return checksums.of(spec.baseModel());
    }

    /**
     * A run starts: records its resolved config and base model checksum. A resumed job keeps its first start time
     * and its measurements so far. This and the other updates of a run join the caller's transaction: the job
     * runner's update of the job row, which first checks that this instance still holds the job.
     */
    public void started(TrainingRequested request, RecipeSpec spec, String checksum, Instant queuedAt) {
        String config = ExperimentConfig.toJson(ExperimentConfig.of(request));
        QuarkusTransaction.joiningExisting().run(() -> {
            ExperimentRecord record = ExperimentRecord.findById(request.jobId());
            boolean first = record == null;
            if (first) {
                record = new ExperimentRecord();
                record.jobId = request.jobId();
                record.queuedAt = queuedAt;
                record.startedAt = Instant.now();
            }
            record.configJson = config;
            record.baseModelSha256 = checksum;
            record.metricsPath = relative(spec.metricsFile());
            record.finishedAt = null;
            if (first) record.persist(); // complete before persist: the insert takes the entity as it is now
        });
    }

    /** One optimizer step. */
    public void stepped(String jobId, Progress progress) {
        QuarkusTransaction.joiningExisting().run(() ->
                ExperimentRecord.<ExperimentRecord>findByIdOptional(jobId).ifPresent(r -> r.stepped(progress)));
    }

    /**
     * A run ended: completed or early stopped ({@code adapter}: the PEFT adapter, null for full fine-tuning;
     * {@code model}: the Hugging Face model, full or merged, null when none), cancelled (both null) or failed
     * ({@code result} null too). Nothing happens for a job that never started.
     */
    public void finished(String jobId, RecipeSpec spec, RunResult result, Path adapter, Path model,
                         Duration training) {
        Path best = spec.bestDir();
        String bestPath = Files.isDirectory(best) ? relative(best) : null;
        QuarkusTransaction.joiningExisting().run(() ->
                ExperimentRecord.<ExperimentRecord>findByIdOptional(jobId).ifPresent(r -> {
                    r.finished(result, training.toNanos() / 1e9, Instant.now());
                    if (adapter != null) r.adapterPath = relative(adapter);
                    if (model != null) r.modelPath = relative(model);
                    r.bestPath = bestPath;
                }));
    }

    /**
     * An attempt ended without ending the job (handed back on shut-down, to resume elsewhere): its time counts.
     * In a transaction of its own: the lease may already be released.
     */
    public void handedBack(String jobId, Duration training) {
        QuarkusTransaction.requiringNew().run(() ->
                ExperimentRecord.<ExperimentRecord>findByIdOptional(jobId)
                        .ifPresent(r -> r.trainingSeconds += training.toNanos() / 1e9));
    }

    public Optional<ExperimentView> find(String jobId) {
        return QuarkusTransaction.requiringNew().call(() ->
                ExperimentRecord.<ExperimentRecord>findByIdOptional(jobId).map(ExperimentView::of));
    }

    /** {@code runs/<jobId>/metrics.jsonl} of a job that started, whether or not a step was logged yet. */
    public Optional<Path> metricsFile(String jobId) {
        return QuarkusTransaction.requiringNew().call(() ->
                ExperimentRecord.<ExperimentRecord>findByIdOptional(jobId).map(r -> dataDir.resolve(r.metricsPath)));
    }

    private String relative(Path path) {
        return dataDir.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
