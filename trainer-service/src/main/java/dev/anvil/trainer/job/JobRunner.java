package dev.anvil.trainer.job;

import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingProgress;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.events.training.TrainingStarted;
import dev.anvil.trainer.recipe.FineTuneRecipe;
import dev.anvil.trainer.recipe.Progress;
import dev.anvil.trainer.recipe.ProgressListener;
import dev.anvil.trainer.recipe.RecipeSpec;
import dev.anvil.trainer.recipe.RunResult;
import dev.anvil.trainer.tracking.ExperimentRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one job through the recipe on the calling (worker) thread, keeping its record and events in step. Every
 * record update first checks that this instance still holds the job's lease ({@link LeaseLostException} if not),
 * so an instance that lost a job never writes over its new owner.
 */
@ApplicationScoped
public class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final TrainingEventPublisher events;
    private final JobRequestValidator paths;
    private final ExperimentRecords records;
    private final JobMeters meters;
    private final String self;

    public JobRunner(TrainingEventPublisher events, JobRequestValidator paths, ExperimentRecords records,
                     JobMeters meters, TrainerInstance instance) {
        this.events = events;
        this.paths = paths;
        this.records = records;
        this.meters = meters;
        this.self = instance.id();
    }

    void run(TrainingRequested request, RecipeSpec spec, RunningJob control) {
        String jobId = request.jobId();
        if (!update(jobId, job -> {
            if (job.status == JobStatus.QUEUED) job.moveTo(JobStatus.RUNNING, null);
        }, JobStatus.RUNNING)) {
            return; // cancelled while queued
        }
        Long trainingStarted = null;
        try {
            String checksum = records.checksum(spec);
            update(jobId, job -> records.started(request, spec, checksum, job.createdAt), null);
            FineTuneRecipe recipe = new FineTuneRecipe(spec);
            recipe.setUp();
            long total = recipe.totalSteps();
            long resumedFrom = recipe.position().step();
            update(jobId, job -> {
                job.totalSteps = total;
                job.step = resumedFrom;
            }, null);
            events.publish(new TrainingStarted(jobId, resumedFrom, total));
            meters.started(jobId);
            trainingStarted = System.nanoTime();
            RunResult result = recipe.train(progressOf(jobId), control::stopRequested);
            Duration training = Duration.ofNanos(System.nanoTime() - trainingStarted);
            if (result.status() == RunResult.Status.CANCELLED && control.handedBack()) {
                records.handedBack(jobId, training);
                LOG.infof("job %s handed back at step %d; it resumes from its checkpoint", jobId, result.steps());
                return;
            }
            if (result.status() == RunResult.Status.CANCELLED) {
                update(jobId, job -> {
                    records.finished(jobId, spec, result, null, null, training);
                    job.moveTo(JobStatus.CANCELLED, "cancelled at step " + result.steps());
                }, null);
                events.publish(new TrainingCancelled(jobId, result.steps()));
                return;
            }
            Path exportedDir = recipe.export(result);
            boolean full = spec.method() == TrainingMethod.FULL;
            Path adapterDir = full ? null : exportedDir;
            Path modelDir = full ? exportedDir : request.merge() ? recipe.exportMerged(exportedDir) : null;
            String adapter = adapterDir == null ? null : paths.relative(adapterDir);
            String model = modelDir == null ? null : paths.relative(modelDir);
            update(jobId, job -> {
                records.finished(jobId, spec, result, adapterDir, modelDir, training);
                job.adapterPath = adapter != null ? adapter : model;
                job.step = result.steps();
                job.moveTo(JobStatus.COMPLETED, null);
            }, null);
            events.publish(new TrainingCompleted(jobId, request.baseModel(), request.dataset(), request.method(),
                    adapter, model, result.bestStep() >= 0 ? result.bestStep() : result.steps(),
                    metrics(result), request.route()));
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf(e, "job %s failed", jobId);
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            Duration training = Duration.ofNanos(trainingStarted == null ? 0 : System.nanoTime() - trainingStarted);
            update(jobId, job -> {
                records.finished(jobId, spec, null, null, null, training);
                job.moveTo(JobStatus.FAILED, reason);
            }, null);
            events.publish(new TrainingFailed(jobId, reason));
        } finally {
            meters.stopped(jobId);
        }
    }

    private ProgressListener progressOf(String jobId) {
        return new ProgressListener() {
            @Override
            public void onStep(Progress p) {
                meters.stepped(jobId, p);
                update(jobId, job -> {
                    job.step = p.step();
                    records.stepped(jobId, p);
                }, null);
                events.publish(new TrainingProgress(jobId, p.step(), p.totalSteps(), p.epoch(), p.trainLoss(),
                        Double.isNaN(p.validationLoss()) ? null : p.validationLoss(), p.learningRate(),
                        p.tokensPerSecond(), p.etaSeconds()));
            }

            @Override
            public void onCheckpoint(long step, Path dir) {
                events.publish(new dev.anvil.events.training.CheckpointSaved(jobId, step, paths.relative(dir)));
            }
        };
    }

    private static Map<String, Double> metrics(RunResult result) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        putFinite(metrics, "trainLoss", result.lastTrainLoss());
        putFinite(metrics, "validationLoss", result.bestValidationLoss());
        putFinite(metrics, "initialValidationLoss", result.initialValidationLoss());
        return metrics;
    }

    private static void putFinite(Map<String, Double> metrics, String name, double value) {
        if (Double.isFinite(value)) metrics.put(name, value);
    }

    /**
     * Applies {@code change} in its own transaction if this instance holds the job; answers whether the job then
     * has status {@code expect}.
     */
    private boolean update(String jobId, Consumer<TrainingJob> change, JobStatus expect) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingJob job = TrainingJob.findById(jobId);
            if (job == null) return false;
            job.requireOwner(self);
            change.accept(job);
            return expect == null || job.status == expect;
        });
    }
}
