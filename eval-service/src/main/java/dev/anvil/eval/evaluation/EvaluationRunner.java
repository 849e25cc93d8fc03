package dev.anvil.eval.evaluation;

import dev.anvil.eval.EvalConfig;
import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.llm.data.Conversation;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs evaluations one at a time on a thread of its own: claims the oldest claimable one (a lease, see
 * {@link EvaluationLeases}), keeps its lease alive while {@link EvaluationRun} works, and writes the outcome or the
 * reason it failed. Woken by a submission on this replica, and otherwise looks every {@code anvil.eval.poll-interval}
 * (others' submissions, leases of dead replicas, its own unfinished work after a restart). Each run is counted and
 * timed ({@link EvaluationMeters}) unless it lost its lease.
 */
@ApplicationScoped
public class EvaluationRunner {
    private static final Logger LOG = Logger.getLogger(EvaluationRunner.class);
    private static final long PROGRESS_EVERY_NANOS = 500_000_000L;

    private final EvalConfig config;
    private final EvaluationLeases leases;
    private final Evaluations evaluations;
    private final EvaluationPublisher publisher;
    private final EvaluationMeters meters;
    private final DataDirectory dataDir;
    private final String instance;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopping;
    private Thread thread;
    private ScheduledExecutorService heartbeats;

    public EvaluationRunner(EvalConfig config, EvaluationLeases leases, Evaluations evaluations,
                            EvaluationPublisher publisher, EvaluationMeters meters,
                            @ConfigProperty(name = "anvil.data-dir") Path dataDir) {
        this.config = config;
        this.leases = leases;
        this.evaluations = evaluations;
        this.publisher = publisher;
        this.meters = meters;
        this.dataDir = new DataDirectory(dataDir);
        this.instance = config.instanceId().filter(s -> !s.isBlank()).orElseGet(EvaluationRunner::hostInstance);
    }

    void start(@Observes StartupEvent ignored) {
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "anvil-eval-heartbeat"));
        thread = daemon(this::loop, "anvil-evaluator");
        thread.start();
        LOG.infof("evaluation runner %s started", instance);
    }

    void stop(@Observes ShutdownEvent ignored) {
        stopping = true;
        wake();
        if (heartbeats != null) heartbeats.shutdownNow();
    }

    /** A new evaluation to run, or one that failed at once (a training event naming what is missing) to publish. */
    void onSubmitted(@Observes Evaluations.Submitted submitted) {
        wake();
        publisher.wake();
    }

    public String instance() {
        return instance;
    }

    private void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                Optional<String> next = leases.claimNext(instance);
                if (next.isPresent()) run(next.get());
                else idle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be briefly away; the loop must outlive that.
                LOG.warnf(e, "evaluation runner: %s", e.getMessage());
                pause();
            }
        }
    }

    private void idle() throws InterruptedException {
        synchronized (signal) {
            if (!woken) signal.wait(config.pollInterval().toMillis());
            woken = false;
        }
    }

    private void pause() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(String id) {
        AtomicBoolean lost = new AtomicBoolean();
        long every = config.heartbeatInterval().toMillis();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> {
            if (!leases.heartbeat(id, instance)) lost.set(true);
        }, every, every, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        try {
            Evaluation e = evaluations.claimed(id);
            meters.started();
            LOG.infof("evaluation %s started (attempt %d): %s against %s", id, e.attempts, e.candidate().describe(),
                    e.baseline().describe());
            EvaluationRun.Checkpoint checkpoint = new EvaluationRun.Checkpoint() {
                private long lastWrite;
                private String lastPhase;

                @Override
                public void reached(String phase, int done, int total) {
                    if (lost.get() || stopping) throw new LeaseLostException(id);
                    // A write per chunk would cost more than a small model's chunk; a new phase is always written.
                    long now = System.nanoTime();
                    if (!phase.equals(lastPhase) || now - lastWrite > PROGRESS_EVERY_NANOS) {
                        evaluations.progress(id, instance, phase, done, total);
                        lastWrite = now;
                        lastPhase = phase;
                    }
                }
            };
            List<Conversation> conversations = ValidationSplit.read(
                    dataDir.datasetVersion(e.datasetName, e.datasetVersion), e.maxExamples);
            if (conversations.isEmpty()) {
                evaluations.fail(id, instance, "the validation split of dataset '" + e.datasetName + "' version '"
                        + e.datasetVersion + "' has no example with an assistant reply to score");
                meters.ran(false, start);
                return;
            }
            ModelLoader loader = new ModelLoader(dataDir, config.maxSeqLength());
            GenerationSettings generation = EvaluationView.read(e.generationJson, GenerationSettings.class);
            EvaluationRun.Outcome outcome = new EvaluationRun(conversations, generation, checkpoint)
                    .run(loader.load(e.candidate(), "candidate"), loader.load(e.baseline(), "baseline"));
            evaluations.complete(id, instance, outcome);
            meters.ran(true, start);
            LOG.infof("evaluation %s completed in %d ms", id, (System.nanoTime() - start) / 1_000_000);
        } catch (LeaseLostException e) {
            LOG.warnf("evaluation %s: %s; left to its new holder", id, e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "evaluation %s failed", id);
            failQuietly(id, e);
            meters.ran(false, start);
        } finally {
            heartbeat.cancel(false);
            publisher.wake();
        }
    }

    private void failQuietly(String id, Throwable cause) {
        try {
            evaluations.fail(id, instance, cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage());
        } catch (LeaseLostException e) {
            LOG.warnf("evaluation %s: %s", id, e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String hostInstance() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "eval";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
