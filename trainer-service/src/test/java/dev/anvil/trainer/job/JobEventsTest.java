package dev.anvil.trainer.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.events.EventCodec;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code GET /jobs/{id}/events} read by a real HTTP client while real jobs train. A long job holds the single
 * worker, so that a short job waits queued while its stream is opened and every one of its events is seen live;
 * cancelling the long job ends its stream and lets the short one run to completion. A job of another replica
 * (a row changed behind the service's back) is followed by polling.
 */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class JobEventsTest {
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    @ConfigProperty(name = "anvil.data-dir")
    Path dataDir;

    @TestHTTPResource("/jobs/")
    URI jobs;

    @BeforeEach
    void dataDirectory() throws Exception {
        ServiceFixtures.prepare(dataDir);
    }

    private SseClient events(String jobId) throws Exception {
        return SseClient.open(jobs.resolve(jobId + "/events"));
    }

    @Test
    void streamsFollowJobsLiveAndEndWithTheirFinalState() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String blocker = "long-" + suffix;
        String shortJob = "short-" + suffix;
        ServiceFixtures.submit(ServiceFixtures.body(blocker, "colors", 1e-3, 100_000,
                "\"evalInterval\":100000,\"checkpointInterval\":100000"));
        ServiceFixtures.awaitStatus(blocker, "running", EVENT_TIMEOUT);

        try (SseClient longStream = events(blocker)) {
            SseClient.Event first = longStream.next(EVENT_TIMEOUT);
            assertEquals(JobEventStream.STATE, first.name());
            assertEquals("running", first.data().get("status").asText());
            // Live progress: consecutive steps as the job makes them.
            long step = nextProgress(longStream).data().get("step").asLong();
            assertEquals(step + 1, nextProgress(longStream).data().get("step").asLong());

            ServiceFixtures.submit(ServiceFixtures.body(shortJob, "colors", 1e-2, 4, "\"evalInterval\":2"));
            ServiceFixtures.awaitStatus(shortJob, "queued", EVENT_TIMEOUT);
            try (SseClient shortStream = events(shortJob)) {
                SseClient.Event queued = shortStream.next(EVENT_TIMEOUT);
                assertEquals(JobEventStream.STATE, queued.name());
                assertEquals("queued", queued.data().get("status").asText());

                given().post("/jobs/" + blocker + "/cancel").then().statusCode(202);
                List<SseClient.Event> end = longStream.rest(EVENT_TIMEOUT);
                assertEquals("TrainingCancelled", end.get(end.size() - 2).name(), names(end).toString());
                assertFinalState(end.get(end.size() - 1), "cancelled");

                List<SseClient.Event> run = shortStream.rest(EVENT_TIMEOUT);
                List<String> lifecycle = names(run).stream()
                        .filter(n -> !n.equals(JobEventStream.STATE) && !n.equals("CheckpointSaved")).toList();
                assertEquals(List.of("TrainingStarted", "TrainingProgress", "TrainingProgress", "TrainingProgress",
                        "TrainingProgress", "TrainingCompleted"), lifecycle);
                assertEquals(List.of(1L, 2L, 3L, 4L), run.stream().filter(e -> e.name().equals("TrainingProgress"))
                        .map(e -> e.data().get("step").asLong()).toList());
                SseClient.Event progress = run.stream().filter(e -> e.name().equals("TrainingProgress"))
                        .filter(e -> e.data().get("step").asLong() == 2).findFirst().orElseThrow();
                assertTrue(progress.data().get("validationLoss").isNumber(), "evaluated at step 2: " + progress);
                assertEquals("runs/" + shortJob + "/adapter", run.stream()
                        .filter(e -> e.name().equals("TrainingCompleted")).findFirst().orElseThrow()
                        .data().get("adapterPath").asText());
                SseClient.Event last = run.get(run.size() - 1);
                assertFinalState(last, "completed");
                assertEquals(4, last.data().at("/result/steps").asLong(), last.data().toString());
            }
        } finally {
            // Whatever happened, the long job must not hold the only worker slot for the tests after this one.
            given().post("/jobs/" + blocker + "/cancel");
        }

        // A finished job's stream: its final state, then the end.
        try (SseClient again = events(shortJob)) {
            List<SseClient.Event> only = again.rest(EVENT_TIMEOUT);
            assertEquals(1, only.size(), names(only).toString());
            assertFinalState(only.get(0), "completed");
        }
    }

    @Test
    void aJobRunningElsewhereIsFollowedThroughTheDatabase() throws Exception {
        String jobId = "elsewhere-" + UUID.randomUUID();
        TrainingRequested request = new TrainingRequested(jobId, "aidreams260K", new DatasetRef("colors", "v1"),
                TrainingMethod.LORA, null);
        String requestJson = EventCodec.mapper().writeValueAsString(request);
        // The row another replica keeps up to date; nothing runs here, so no live event ever comes.
        QuarkusTransaction.requiringNew().run(() -> {
            TrainingJob job = TrainingJob.queued(request, requestJson);
            job.moveTo(JobStatus.RUNNING, null);
            job.step = 3;
            job.totalSteps = 10;
            job.persist();
        });
        try (SseClient stream = events(jobId)) {
            SseClient.Event first = stream.next(EVENT_TIMEOUT);
            assertEquals("running", first.data().get("status").asText());
            assertEquals(3, first.data().get("step").asLong());

            elsewhere(jobId, job -> job.step = 5);
            SseClient.Event moved = stream.next(EVENT_TIMEOUT);
            assertEquals(JobEventStream.STATE, moved.name());
            assertEquals(5, moved.data().get("step").asLong());

            elsewhere(jobId, job -> job.moveTo(JobStatus.COMPLETED, null));
            List<SseClient.Event> end = stream.rest(EVENT_TIMEOUT);
            assertEquals(1, end.size(), names(end).toString());
            assertFinalState(end.get(0), "completed");
        } finally {
            elsewhere(jobId, job -> {
                if (!job.status.isFinal()) job.moveTo(JobStatus.FAILED, "test ended");
            });
        }
    }

    private static void elsewhere(String jobId, Consumer<TrainingJob> change) {
        QuarkusTransaction.requiringNew().run(() -> change.accept(TrainingJob.findById(jobId)));
    }

    @Test
    void anUnknownJobHasNoStream() {
        given().accept("text/event-stream").get("/jobs/nope/events").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static SseClient.Event nextProgress(SseClient stream) throws InterruptedException {
        while (true) {
            SseClient.Event e = stream.next(EVENT_TIMEOUT);
            if (e.name().equals("TrainingProgress")) return e;
        }
    }

    private static void assertFinalState(SseClient.Event event, String status) {
        assertEquals(JobEventStream.STATE, event.name());
        assertEquals(status, event.data().get("status").asText(), event.data().toString());
    }

    private static List<String> names(List<SseClient.Event> events) {
        return events.stream().map(SseClient.Event::name).toList();
    }
}
