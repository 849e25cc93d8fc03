package dev.anvil.dataset.retrain;

import dev.anvil.dataset.ServiceMetrics;
import dev.anvil.events.Envelope;
import dev.anvil.events.testing.PrometheusText;
import dev.anvil.events.training.TrainingRequested;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import static dev.anvil.dataset.retrain.LoopFixture.FEATURE;
import static dev.anvil.dataset.retrain.LoopFixture.drift;
import static dev.anvil.dataset.retrain.LoopFixture.fresh;
import static dev.anvil.dataset.retrain.LoopFixture.parentVersion;
import static dev.anvil.dataset.retrain.LoopFixture.publish;
import static dev.anvil.dataset.retrain.LoopFixture.requestedEarlier;
import static dev.anvil.dataset.retrain.LoopFixture.requestsFor;
import static dev.anvil.dataset.retrain.LoopFixture.retrainings;
import static dev.anvil.dataset.retrain.LoopFixture.served;
import static dev.anvil.dataset.retrain.LoopFixture.trained;
import static dev.anvil.dataset.retrain.LoopFixture.trainingRequests;
import static dev.anvil.dataset.retrain.RetrainingMetrics.assertCountedAsListed;
import static dev.anvil.dataset.retrain.RetrainingMetrics.assertInFlightAsListed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Manual mode: a drift alert waits for a person (holding its route), approval builds and requests, a second approval
 * is refused naming the state, an approval the cool-down holds back is refused naming it and keeps the retraining
 * waiting, a rejection frees the route; and two alerts decided at once start one retraining.
 */
@QuarkusTest
@TestProfile(ManualRetrainingTest.Manual.class)
class ManualRetrainingTest {

    public static class Manual extends RetrainingProfile {
        @Override
        Map<String, String> policy() {
            return Map.of("anvil.dataset.retraining.mode", "manual",
                    "anvil.dataset.retraining.cooldown", "PT1H");
        }
    }

    @Inject
    Retrainings retrainings;

    @Test
    void anAlertWaitsForApprovalThenBuildsAndRequests() {
        LoopFixture.Served served = served("manual", 5, 4);
        String route = served.route(), job = served.job();
        PrometheusText before = ServiceMetrics.scrape();

        try (KafkaConsumer<String, String> requests = trainingRequests()) {
            publish(drift(job));
            JsonPath list = retrainings(route, 1);
            assertEquals("PENDING_APPROVAL", list.getString("[0].status"), list.prettify());
            String id = list.getString("[0].id");
            // Waiting counts as in flight: another alert on the route is skipped.
            publish(drift(job));
            list = retrainings(route, 2);
            assertTrue(list.getString("[0].steps[0].why").contains("(" + id + ", PENDING_APPROVAL) is in flight"),
                    list.prettify());
            assertInFlightAsListed();

            JsonPath approved = given().post("/retrainings/{id}/approve", id).then().statusCode(200).extract()
                    .jsonPath();
            assertEquals("REQUESTED", approved.getString("status"), approved.prettify());
            assertEquals(List.of("PENDING_APPROVAL", "BUILDING", "REQUESTED"), approved.getList("steps.status"));
            List<TrainingRequested> sent =
                    requestsFor(requests, approved.getString("jobId"), 1, Duration.ofSeconds(10));
            assertEquals(1, sent.size());
            assertEquals(approved.getString("lineage.childVersion"), sent.get(0).dataset().version());
            assertEquals(route, sent.get(0).route());

            given().post("/retrainings/{id}/approve", id).then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("is REQUESTED, not PENDING_APPROVAL"));
            // One skipped, one requested (still in flight: no outcome yet).
            assertCountedAsListed(before, retrainings(route, 2), route, FEATURE);
            assertInFlightAsListed();
        }
    }

    @Test
    void anApprovalTheCoolDownHoldsBackIsRefusedAndTheRetrainingKeepsWaiting() {
        LoopFixture.Served served = served("held", 5, 4);
        String route = served.route(), job = served.job(), id = served.firstAlert();
        // The route's history as a cool-down made longer while the retraining waited sees it (with the settings of
        // its trigger nothing could have been requested on the route meanwhile: the waiting one holds it).
        Instant last = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        requestedEarlier(route, last);

        try (KafkaConsumer<String, String> requests = trainingRequests()) {
            given().post("/retrainings/{id}/approve", id).then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("retraining " + id + " cannot be approved now: cool-down until "
                            + last.plus(Duration.ofHours(1)) + " (anvil.dataset.retraining.cooldown=PT1H"))
                    .body("detail", containsString("it stays PENDING_APPROVAL"));

            JsonPath waiting = given().get("/retrainings/{id}", id).then().statusCode(200).extract().jsonPath();
            assertEquals("PENDING_APPROVAL", waiting.getString("status"), waiting.prettify());
            assertEquals(List.of("PENDING_APPROVAL", "PENDING_APPROVAL"), waiting.getList("steps.status"));
            assertTrue(waiting.getString("steps[-1].why").startsWith("approval refused: cool-down until "),
                    waiting.prettify());
            assertNull(waiting.getString("jobId"));
            assertFalse(StandInGateway.REQUESTS.stream().anyMatch(r -> r.startsWith("/admin/versions/" + job + "/")),
                    "no traffic fetched: " + StandInGateway.REQUESTS);
            assertEquals(List.of(), requestsFor(requests, Retraining.jobIdOf(id), 0, Duration.ofSeconds(2)));
        }
        // Still the person's to decide.
        given().post("/retrainings/{id}/reject", id).then().statusCode(200).body("status", equalTo("DECLINED"));
    }

    @Test
    void aRejectedRetrainingFreesItsRoute() {
        LoopFixture.Served served = served("declined", 5, 0);
        PrometheusText before = ServiceMetrics.scrape();
        String route = served.route(), job = served.job(), id = served.firstAlert();

        given().post("/retrainings/{id}/reject", id).then().statusCode(200).body("status", equalTo("DECLINED"));
        publish(drift(job));
        JsonPath list = retrainings(route, 2);
        assertEquals("PENDING_APPROVAL", list.getString("[0].status"));
        assertCountedAsListed(before, list, route, FEATURE);
        assertInFlightAsListed();
        given().post("/retrainings/{id}/approve", "no-such-id").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void twoAlertsDecidedAtOnceStartOneRetraining() {
        String dataset = fresh("race"), route = fresh("faq"), jobA = fresh("job"), jobB = fresh("job");
        String parent = parentVersion(dataset, 5);
        trained(jobA, dataset, parent, route);
        trained(jobB, dataset, parent, route);
        PrometheusText before = ServiceMetrics.scrape();

        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> deciders = List.of(jobA, jobB).stream().map(job -> {
            Envelope alert = drift(job);
            return CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                retrainings.onDrift(alert);
            });
        }).toList();
        go.countDown();
        deciders.forEach(CompletableFuture::join);

        JsonPath list = retrainings(route, 2);
        assertEquals(List.of("PENDING_APPROVAL", "SKIPPED"), list.<String>getList("status").stream().sorted()
                .collect(Collectors.toList()), list.prettify());
        // One skip counted, also when the loser's first decision was rolled back by the unique key and taken again.
        assertCountedAsListed(before, list, route, FEATURE);
    }
}
