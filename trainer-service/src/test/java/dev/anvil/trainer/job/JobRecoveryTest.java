package dev.anvil.trainer.job;

import static dev.anvil.trainer.job.ServiceFixtures.awaitEvent;
import static dev.anvil.trainer.job.ServiceFixtures.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingProgress;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.events.training.TrainingStarted;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.trainer.checkpoint.CheckpointStore;
import dev.anvil.trainer.recipe.FineTuneRecipe;
import dev.anvil.trainer.recipe.ProgressListener;
import dev.anvil.trainer.recipe.RecipeSpec;
import dev.anvil.trainer.recipe.RunResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

/**
 * Crash recovery on the real broker and model: a job whose owner died (its lease expired) is claimed and resumed
 * from its checkpoint, by the orphan scan or by a redelivered request; a job held by a live instance is never
 * started twice; two claims of one orphan have exactly one winner; a stored request is validated again when it is
 * claimed; and jobs beyond {@code anvil.trainer.max-concurrent-jobs} (1 here) wait queued in the database.
 *
 * <p>The tests run the orphan scan themselves ({@link JobDispatcher#dispatch}, what the scheduled scan and the
 * start-up claim run; the scheduled one is set to an hour here), so that they know what claimed a job.
 */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class JobRecoveryTest {
    /** Steps of the recovered jobs; the dead owner got to CHECKPOINTED, its last checkpoint. */
    private static final int STEPS = 6;
    private static final int CHECKPOINTED = 2;
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

    @ConfigProperty(name = "anvil.data-dir")
    Path dataDir;
    @Inject
    JobDispatcher dispatcher;
    @Inject
    JobLeases leases;
    @Inject
    JobRequestValidator validator;
    @Inject
    TrainerInstance instance;

    @BeforeEach
    void dataDirectory() throws Exception {
        ServiceFixtures.prepare(dataDir);
    }

    private static TrainingRequested request(String jobId, String dataset, int steps) {
        Hyperparameters hp = new Hyperparameters(1e-2, null, 1, null, steps, 4, 1, 128, null, null, 8, 16.0, 0.0,
                null, null, null, 7L, null, null, null, 2, 2, null);
        return new TrainingRequested(jobId, "aidreams260K", new DatasetRef(dataset, "v1"), TrainingMethod.LORA, hp);
    }

    /**
     * What an instance killed during step 3 leaves behind, produced for real: the recipe ran 2 steps and wrote its
     * step-2 checkpoint, and the job's row still says running, owned by the dead instance, whose last heartbeat is
     * older than the lease.
     */
    private TrainingRequested orphanWithCheckpoint(String jobId) {
        TrainingRequested request = request(jobId, "colors", STEPS);
        RecipeSpec spec = validator.validate(request);
        FineTuneRecipe recipe = new FineTuneRecipe(spec);
        recipe.setUp();
        RunResult stopped = recipe.train(ProgressListener.NONE, () -> recipe.position().step() >= CHECKPOINTED);
        assertEquals(CHECKPOINTED, stopped.steps());
        List<Path> checkpoints = new CheckpointStore(spec.runDir().resolve("checkpoints"), 2).list();
        assertEquals(1, checkpoints.size(), checkpoints.toString());
        insert(request, JobStatus.RUNNING, "dead-instance", Instant.now().minus(Duration.ofMinutes(5)),
                CHECKPOINTED);
        return request;
    }

    private static void insert(TrainingRequested request, JobStatus status, String owner, Instant heartbeat,
                               long step) {
        QuarkusTransaction.requiringNew().run(() -> {
            TrainingJob job = TrainingJob.queued(request, json(request));
            job.status = status;
            job.owner = owner;
            job.heartbeatAt = heartbeat.truncatedTo(ChronoUnit.MILLIS);
            job.step = step;
            job.persist();
        });
    }

    private static String json(TrainingRequested request) {
        try {
            return EventCodec.mapper().writeValueAsString(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrainingJob row(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> TrainingJob.<TrainingJob>findById(jobId));
    }

    /** The resumed job's events: started at the checkpoint, steps 3..6, completed with the adapter. */
    private void assertResumedToTheEnd(KafkaConsumer<String, String> events, String jobId) {
        List<Envelope> seen = new ArrayList<>();
        awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingCompleted, JOB_TIMEOUT);
        TrainingStarted started = seen.get(0).dataAs(TrainingStarted.class);
        assertEquals(CHECKPOINTED, started.resumedFromStep(), "resumed from the dead owner's checkpoint");
        assertEquals(STEPS, started.totalSteps());
        List<Long> steps = seen.stream().filter(e -> e.data() instanceof TrainingProgress)
                .map(e -> e.dataAs(TrainingProgress.class).step()).toList();
        assertEquals(List.of(3L, 4L, 5L, 6L), steps);
        TrainingCompleted completed = seen.get(seen.size() - 1).dataAs(TrainingCompleted.class);
        assertTrue(Files.isRegularFile(dataDir.resolve(completed.adapterPath()).resolve("adapter_model.safetensors")));
        given().get("/jobs/" + jobId).then().statusCode(200).body("status", equalTo("completed"))
                .body("step", equalTo(STEPS)).body("owner", equalTo(instance.id()));
    }

    @Test
    void theOrphanScanClaimsAJobWhoseOwnerDiedAndResumesIt() throws Exception {
        String jobId = "orphan-" + UUID.randomUUID();
        orphanWithCheckpoint(jobId);
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            dispatcher.dispatch();
            assertResumedToTheEnd(events, jobId);
        }
    }

    @Test
    void aRedeliveredRequestResumesAnOrphanedJob() throws Exception {
        String jobId = "orphan-" + UUID.randomUUID();
        TrainingRequested request = orphanWithCheckpoint(jobId);
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            send(producer, request);
            assertResumedToTheEnd(events, jobId);
        }
    }

    /**
     * Held by another instance whose heartbeat is current: a redelivered request and the orphan scan leave it alone,
     * and a cancel is passed to that owner through the record instead.
     */
    @Test
    void aJobHeldByALiveInstanceIsNotStartedTwice() throws Exception {
        String jobId = "elsewhere-" + UUID.randomUUID();
        TrainingRequested request = request(jobId, "colors", STEPS);
        insert(request, JobStatus.RUNNING, "live-instance", Instant.now().plus(Duration.ofMinutes(10)), 1);
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            int partition = send(producer, request);
            dispatcher.dispatch();
            String marker = jobId + "-marker";
            ServiceFixtures.sendTo(producer, partition, request(marker, "no-such-dataset", STEPS));
            List<Envelope> after = new ArrayList<>();
            awaitEvent(events, marker, after, e -> e.data() instanceof TrainingFailed, Duration.ofSeconds(30));
            assertTrue(after.stream().noneMatch(e -> e.subject().equals(jobId)), after.toString());
            assertFalse(dispatcher.held().contains(jobId));
            assertEquals("live-instance", row(jobId).owner);

            given().post("/jobs/" + jobId + "/cancel").then().statusCode(202).body("status", equalTo("running"));
            assertTrue(row(jobId).cancelRequested, "the cancel waits for the live owner's next heartbeat");
        } finally {
            QuarkusTransaction.requiringNew().run(() -> TrainingJob.deleteById(jobId));
        }
    }

    /**
     * Another instance took the job over (as after a heartbeat missed for longer than the lease): this instance
     * notices at its next heartbeat or step, stops, and writes nothing over the new owner's record or events.
     */
    @Test
    void anInstanceThatLostTheLeaseStopsWithoutWritingOverTheNewOwner() throws Exception {
        String jobId = "stolen-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            send(producer, request(jobId, "colors", 100_000));
            List<Envelope> seen = new ArrayList<>();
            awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingStarted, JOB_TIMEOUT);
            Instant takenAt = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
            QuarkusTransaction.requiringNew().run(() -> {
                TrainingJob job = TrainingJob.findById(jobId);
                job.owner = "new-owner";
                job.heartbeatAt = takenAt;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> !dispatcher.held().contains(jobId));
            TrainingJob after = row(jobId);
            assertEquals(JobStatus.RUNNING, after.status, "left for the new owner to finish");
            assertEquals("new-owner", after.owner);
            assertEquals(takenAt, after.heartbeatAt);
            // The old owner's worker has ended, so whatever it published is on the broker (publishing waits for
            // the acknowledgement): nothing it published ends the job.
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                for (var r : events.poll(Duration.ofMillis(300))) {
                    Envelope e = EventCodec.fromJson(r.value());
                    if (e.subject().equals(jobId)) seen.add(e);
                }
            }
            assertTrue(seen.stream().allMatch(e -> e.data() instanceof TrainingStarted
                    || e.data() instanceof TrainingProgress || e.type().equals("CheckpointSaved")), seen.toString());
        } finally {
            QuarkusTransaction.requiringNew().run(() -> TrainingJob.deleteById(jobId));
        }
    }

    /**
     * A job handed back (as on shut-down) stops with a checkpoint, stays unfinished, and, its lease released, is
     * claimed again and resumed from that checkpoint to the end; it is never reported cancelled.
     */
    @Test
    void aJobHandedBackResumesFromTheCheckpointItStoppedAt() throws Exception {
        String jobId = "handed-back-" + UUID.randomUUID();
        Hyperparameters hp = new Hyperparameters(1e-2, null, 1, null, 40, 4, 1, 128, null, null, 8, 16.0, 0.0, null,
                null, null, 7L, null, null, null, 100, 2, null);
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            send(producer, new TrainingRequested(jobId, "aidreams260K", new DatasetRef("colors", "v1"),
                    TrainingMethod.LORA, hp));
            List<Envelope> seen = new ArrayList<>();
            awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingProgress, JOB_TIMEOUT);
            dispatcher.handBack(jobId);
            awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingCompleted, JOB_TIMEOUT);
            List<TrainingStarted> starts = seen.stream().filter(e -> e.data() instanceof TrainingStarted)
                    .map(e -> e.dataAs(TrainingStarted.class)).toList();
            assertEquals(2, starts.size(), seen.toString());
            long stoppedAt = starts.get(1).resumedFromStep();
            assertTrue(stoppedAt >= 1 && stoppedAt < 40, "resumed from " + stoppedAt);
            assertTrue(seen.stream().noneMatch(e -> e.type().equals("TrainingCancelled")), seen.toString());
            List<Long> steps = seen.stream().filter(e -> e.data() instanceof TrainingProgress)
                    .map(e -> e.dataAs(TrainingProgress.class).step()).toList();
            assertEquals(LongStream.rangeClosed(1, steps.size()).boxed().toList(), steps, "each step once");
            assertEquals(40, steps.size());
            given().get("/jobs/" + jobId).then().statusCode(200).body("status", equalTo("completed"));
        }
    }

    /** Rounds of two threads claiming the same orphan at the same moment (a barrier): one winner each time. */
    @Test
    void twoConcurrentClaimsHaveExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> ids = new ArrayList<>();
        try {
            for (int round = 0; round < 20; round++) {
                String jobId = "contested-" + UUID.randomUUID();
                ids.add(jobId);
                // Its dataset does not exist: should the service itself ever claim it, it fails at once.
                insert(request(jobId, "none", STEPS), round % 2 == 0 ? JobStatus.RUNNING : JobStatus.QUEUED,
                        "dead-instance", Instant.now().minus(Duration.ofMinutes(5)), 0);
                JobLeases.Candidate seen = leases.claimable(1_000, null).stream()
                        .filter(c -> c.jobId().equals(jobId)).findFirst().orElseThrow();
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Boolean> a = pool.submit(() -> {
                    together.await();
                    return leases.claim(seen, "claimant-a");
                });
                Future<Boolean> b = pool.submit(() -> {
                    together.await();
                    return leases.claim(seen, "claimant-b");
                });
                boolean aWon = a.get();
                boolean bWon = b.get();
                assertTrue(aWon ^ bWon, "round " + round + ": a " + aWon + ", b " + bWon);
                assertEquals(aWon ? "claimant-a" : "claimant-b", row(jobId).owner);
                assertFalse(leases.claim(seen, "claimant-c"), "a claim on a stale read loses");
                assertFalse(leases.claimable(1_000, null).stream().anyMatch(c -> c.jobId().equals(jobId)),
                        "a freshly claimed job is not claimable");
            }
        } finally {
            pool.shutdownNow();
            QuarkusTransaction.requiringNew().run(() -> ids.forEach(id -> TrainingJob.deleteById(id)));
        }
    }

    /** The dataset was there when the job was accepted and is gone when an instance claims it: failed, naming it. */
    @Test
    void aClaimedRequestIsValidatedAgain() throws Exception {
        String jobId = "revalidated-" + UUID.randomUUID();
        String dataset = "vanishing-" + UUID.randomUUID();
        Path version = dataDir.resolve("datasets").resolve(dataset).resolve("v1");
        Files.createDirectories(version);
        Files.copy(dataDir.resolve("datasets/colors/v1/train.jsonl"), version.resolve("train.jsonl"));
        TrainingRequested request = request(jobId, dataset, STEPS);
        validator.validate(request);
        insert(request, JobStatus.QUEUED, "dead-instance", Instant.now().minus(Duration.ofMinutes(5)), 0);
        CheckpointStore.deleteTree(version.getParent());
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            dispatcher.dispatch();
            List<Envelope> seen = new ArrayList<>();
            awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingFailed, Duration.ofSeconds(30));
            String reason = seen.get(seen.size() - 1).dataAs(TrainingFailed.class).reason();
            assertTrue(reason.contains(dataset + "/v1"), reason);
            TrainingJob job = row(jobId);
            assertEquals(JobStatus.FAILED, job.status);
            assertEquals(instance.id(), job.owner);
        }
    }

    /**
     * With one slot, a second request waits as a queued row without an owner while the first runs, and starts when
     * the first ends.
     */
    @Test
    void jobsBeyondTheSlotsWaitQueuedInTheDatabase() throws Exception {
        String first = "first-" + UUID.randomUUID();
        String second = "second-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            send(producer, request(first, "colors", 16));
            List<Envelope> firstEvents = new ArrayList<>();
            awaitEvent(events, first, firstEvents, e -> e.data() instanceof TrainingStarted, JOB_TIMEOUT);
            send(producer, request(second, "colors", STEPS));
            await().atMost(Duration.ofSeconds(30)).until(() -> row(second) != null);
            TrainingJob waiting = row(second);
            TrainingJob running = row(first);
            assertEquals(JobStatus.RUNNING, running.status, "the first job is still running");
            assertEquals(JobStatus.QUEUED, waiting.status);
            assertNull(waiting.owner, "a waiting job is free for any instance with a slot");
            assertEquals(Set.of(first), dispatcher.held());

            awaitEvent(events, first, firstEvents, e -> e.data() instanceof TrainingCompleted, JOB_TIMEOUT);
            List<Envelope> secondEvents = new ArrayList<>();
            awaitEvent(events, second, secondEvents, e -> e.data() instanceof TrainingCompleted, JOB_TIMEOUT);
            Instant firstDone = firstEvents.get(firstEvents.size() - 1).time();
            Instant secondStarted = secondEvents.get(0).time();
            assertTrue(!secondStarted.isBefore(firstDone), "second started " + secondStarted + ", first ended "
                    + firstDone);
            assertEquals("TrainingStarted", secondEvents.get(0).type());
        }
    }
}
