package dev.anvil.trainer.job;

import static dev.anvil.trainer.job.ServiceFixtures.awaitEvent;
import static dev.anvil.trainer.job.ServiceFixtures.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.events.Envelope;
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
import dev.anvil.events.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The service end to end on a real in-process Kafka broker and the real aidreams260K model: a request on
 * training.requests runs to an exported adapter (its TrainingCompleted naming the request's route, every event in
 * the request's trace), a redelivered request changes nothing, an invalid one fails naming what is wrong, and
 * garbage goes to the dead-letter topic;
 * {@code /q/metrics} counts the steps, tokens and outcomes, and shows a running job's loss and speed.
 */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class TrainingJobFlowTest {
    private static final String FINISHED = "anvil_trainer_jobs_finished_total";

    @ConfigProperty(name = "anvil.data-dir")
    Path dataDir;

    @BeforeEach
    void dataDirectory() throws Exception {
        ServiceFixtures.prepare(dataDir);
    }

    private static TrainingRequested request(String jobId, String dataset) {
        return request(jobId, dataset, null);
    }

    private static TrainingRequested request(String jobId, String dataset, String route) {
        Hyperparameters hp = new Hyperparameters(1e-2, null, 1, null, 4, 4, 1, 128, null, null, 8, 16.0, 0.0,
                null, null, null, 7L, null, null, null, null, null, null);
        return new TrainingRequested(jobId, "aidreams260K", new DatasetRef(dataset, "v1"), TrainingMethod.LORA, hp,
                null, route);
    }

    @Test
    void aRequestRunsOnceToAnExportedAdapter() throws Exception {
        String jobId = "job-" + UUID.randomUUID();
        PrometheusText before = ServiceFixtures.metrics();
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            // Requested in a trace (the dataset-service's, say): the run and every event it publishes continue it.
            String trace = UUID.randomUUID().toString().replace("-", "");
            send(producer, request(jobId, "colors", "faq-assistant"), "00-" + trace + "-00f067aa0ba902b7-01");
            List<Envelope> seen = new ArrayList<>();
            awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingCompleted, Duration.ofSeconds(60));
            assertEquals(Collections.nCopies(seen.size(), trace), ServiceFixtures.traceIdsOf(jobId, seen.size()),
                    "one trace from the request to TrainingCompleted");

            List<String> types = seen.stream().map(Envelope::type).filter(t -> !t.equals("CheckpointSaved")).toList();
            assertEquals(List.of("TrainingStarted", "TrainingProgress", "TrainingProgress", "TrainingProgress",
                    "TrainingProgress", "TrainingCompleted"), types);
            assertEquals(4, seen.get(0).dataAs(TrainingStarted.class).totalSteps());
            List<Long> steps = seen.stream().filter(e -> e.data() instanceof TrainingProgress)
                    .map(e -> e.dataAs(TrainingProgress.class).step()).toList();
            assertEquals(List.of(1L, 2L, 3L, 4L), steps);
            TrainingCompleted completed = seen.get(seen.size() - 1).dataAs(TrainingCompleted.class);
            assertEquals("runs/" + jobId + "/adapter", completed.adapterPath());
            // The runner reads the request back from the job's row: the route survived being stored.
            assertEquals("faq-assistant", completed.route());
            Path adapter = dataDir.resolve(completed.adapterPath());
            assertTrue(Files.isRegularFile(adapter.resolve("adapter_model.safetensors")), adapter.toString());
            assertTrue(Files.isRegularFile(adapter.resolve("adapter_config.json")), adapter.toString());
            given().get("/jobs/" + jobId).then().statusCode(200).body("status", equalTo("completed"))
                    .body("adapterPath", equalTo(completed.adapterPath()));
            // Counted just after the event is on the broker; the job's gauges go just after that.
            PrometheusText counted = await().atMost(Duration.ofSeconds(10)).until(ServiceFixtures::metrics,
                    page -> page.value(FINISHED, "outcome", "completed") > before.value(FINISHED, "outcome", "completed")
                            && !page.has("anvil_trainer_loss", "job_id", jobId));
            assertCounted(before, counted);

            // Redelivered: nothing happens. A later marker job proves the consumer went past the duplicate.
            send(producer, request(jobId, "colors"));
            String marker = "marker-" + UUID.randomUUID();
            send(producer, request(marker, "no-such-dataset"));
            List<Envelope> after = new ArrayList<>();
            awaitEvent(events, marker, after, e -> e.data() instanceof TrainingFailed, Duration.ofSeconds(30));
            assertTrue(after.stream().noneMatch(e -> e.subject().equals(jobId)), after.toString());
        }
    }

    /** The four steps and their tokens, and the Kafka traffic of a finished job, as deltas on the page. */
    private static void assertCounted(PrometheusText before, PrometheusText after) {
        String steps = "anvil_trainer_step_duration_seconds_count";
        assertTrue(after.value(steps) - before.value(steps) >= 4, "four optimizer steps timed");
        String seconds = "anvil_trainer_step_duration_seconds_sum";
        assertTrue(after.value(seconds) > before.value(seconds), "steps take time");
        String tokens = "anvil_trainer_tokens_total";
        assertTrue(after.value(tokens) - before.value(tokens) >= 4, "tokens trained");
        String consumed = "anvil_kafka_consumed_total";
        assertTrue(after.value(consumed, "topic", Topics.TRAINING_REQUESTS, "outcome", "handled")
                > before.value(consumed, "topic", Topics.TRAINING_REQUESTS, "outcome", "handled"));
        assertTrue(after.value("anvil_kafka_handling_duration_seconds_count", "topic", Topics.TRAINING_REQUESTS) > 0);
        assertTrue(after.value("anvil_kafka_produced_total", "topic", Topics.TRAINING_EVENTS, "outcome", "sent") >= 6,
                "started, four progress, completed");
        double queued = after.value("anvil_trainer_jobs_queued");
        assertTrue(queued >= 0, "the database's queue is counted: " + queued);
    }

    @Test
    void aRunningJobStopsOnCancel() throws Exception {
        String jobId = "job-" + UUID.randomUUID();
        TrainingRequested fourSteps = request(jobId, "colors");
        Hyperparameters hp = fourSteps.hyperparameters();
        Hyperparameters manySteps = new Hyperparameters(hp.learningRate(), null, 1, null, 100_000, 4, 1, 128, null,
                null, 8, 16.0, 0.0, null, null, null, 7L, null, null, null, null, null, null);
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            send(producer, new TrainingRequested(jobId, "aidreams260K", fourSteps.dataset(), TrainingMethod.LORA, manySteps));
            List<Envelope> seen = new ArrayList<>();
            awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingStarted, Duration.ofSeconds(60));
            // While it trains: its latest loss and speed under its own id, and one job running.
            PrometheusText running = await().atMost(Duration.ofSeconds(60)).until(ServiceFixtures::metrics,
                    page -> page.has("anvil_trainer_loss", "job_id", jobId));
            double loss = running.value("anvil_trainer_loss", "job_id", jobId);
            assertTrue(Double.isFinite(loss) && loss > 0, "training loss " + loss);
            assertTrue(running.value("anvil_trainer_tokens_per_second", "job_id", jobId) > 0);
            assertTrue(running.has("anvil_trainer_validation_loss", "job_id", jobId));
            assertEquals(1.0, running.value("anvil_trainer_jobs_running"));
            double cancelled = running.value(FINISHED, "outcome", "cancelled");

            given().post("/jobs/" + jobId + "/cancel").then().statusCode(202);
            awaitEvent(events, jobId, seen, e -> e.type().equals("TrainingCancelled"), Duration.ofSeconds(30));
            given().get("/jobs/" + jobId).then().statusCode(200).body("status", equalTo("cancelled"));
            // The runner lets go of the job just after its last event.
            PrometheusText after = await().atMost(Duration.ofSeconds(10)).until(ServiceFixtures::metrics,
                    page -> !page.has("anvil_trainer_loss", "job_id", jobId));
            assertEquals(0.0, after.value("anvil_trainer_jobs_running"));
            assertEquals(cancelled + 1, after.value(FINISHED, "outcome", "cancelled"));
            assertTrue(seen.stream().noneMatch(e -> e.data() instanceof TrainingCompleted), seen.toString());
        }
    }

    @Test
    void anUnknownDatasetFailsNamingIt() throws Exception {
        String jobId = "job-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            send(producer, request(jobId, "missing-set"));
            List<Envelope> seen = new ArrayList<>();
            awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingFailed, Duration.ofSeconds(30));
            assertEquals(1, seen.size(), seen.toString());
            String reason = seen.get(0).dataAs(TrainingFailed.class).reason();
            assertTrue(reason.contains("missing-set/v1"), reason);
            given().get("/jobs/" + jobId).then().statusCode(200).body("status", equalTo("failed"));
        }
    }

    @Test
    void garbageGoesToTheDeadLetterTopic() throws Exception {
        String key = "garbage-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> dlq =
                     InProcessKafka.consumer(Topics.deadLetter(Topics.TRAINING_REQUESTS))) {
            producer.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, key, "{not json")).get();
            ConsumerRecord<String, String> found = ServiceFixtures.awaitDeadLetter(dlq, key, Duration.ofSeconds(30));
            assertEquals("{not json", found.value());
            String reason = ServiceFixtures.reason(found);
            assertTrue(reason.startsWith("not JSON"), reason);
        }
    }

    @Test
    void restErrorsAreProblemDetails() {
        given().get("/jobs/nope").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().contentType("application/json").body("{\"jobId\":\"x\"}").post("/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("baseModel"));
    }

    /** POST /jobs checks the request before publishing it (400 naming the problem), then takes the Kafka path. */
    @Test
    void postJobsValidatesThenGoesThroughTheSameConsumerPath() {
        String missing = "{\"baseModel\":\"aidreams260K\",\"dataset\":{\"name\":\"rest-missing\",\"version\":\"v1\"},"
                + "\"method\":\"lora\",\"hyperparameters\":{\"maxSteps\":4}}";
        given().contentType("application/json").body(missing).post("/jobs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("rest-missing/v1"));
        given().contentType("application/json").body(missing.replace("rest-missing", "colors").replace("}}", ",\"loraRank\":0}}"))
                .post("/jobs").then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("loraRank"));

        String jobId = "rest-" + UUID.randomUUID();
        given().contentType("application/json").body(ServiceFixtures.body(jobId, "colors", 1e-2, 1, ""))
                .post("/jobs").then().statusCode(202).body("jobId", equalTo(jobId));
        ServiceFixtures.awaitStatus(jobId, "completed", Duration.ofSeconds(120));
        given().get("/jobs").then().statusCode(200).body("jobId", org.hamcrest.Matchers.hasItem(jobId));
        given().post("/jobs/nope/cancel").then().statusCode(404).contentType("application/problem+json");
    }
}
