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
import static dev.anvil.dataset.retrain.LoopFixture.requestsFor;
import static dev.anvil.dataset.retrain.LoopFixture.retrainings;
import static dev.anvil.dataset.retrain.LoopFixture.trained;
import static dev.anvil.dataset.retrain.LoopFixture.traffic;
import static dev.anvil.dataset.retrain.LoopFixture.trainingRequests;
import static dev.anvil.dataset.retrain.RetrainingMetrics.assertCountedAsListed;
import static dev.anvil.dataset.retrain.RetrainingMetrics.assertInFlightAsListed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Manual mode: a drift alert waits for a person (holding its route), approval builds and requests, a second approval
 * is refused naming the state, a rejection frees the route; and two alerts decided at once start one retraining.
 */
@QuarkusTest
@TestProfile(ManualRetrainingTest.Manual.class)
class ManualRetrainingTest {

    public static class Manual extends RetrainingProfile {
        @Override
        Map<String, String> policy() {
            return Map.of("anvil.dataset.retraining.mode", "manual",
                    "anvil.dataset.retraining.cooldown", "PT0S");
        }
    }

    @Inject
    Retrainings retrainings;

    @Test
    void anAlertWaitsForApprovalThenBuildsAndRequests() {
        String dataset = fresh("manual"), route = fresh("faq"), job = fresh("job");
        trained(job, dataset, parentVersion(dataset, 5), route);
        StandInGateway.answer(job, 200, traffic(4));
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
    void aRejectedRetrainingFreesItsRoute() {
        String dataset = fresh("declined"), route = fresh("faq"), job = fresh("job");
        trained(job, dataset, parentVersion(dataset, 5), route);
        PrometheusText before = ServiceMetrics.scrape();
        publish(drift(job));
        String id = retrainings(route, 1).getString("[0].id");

        given().post("/retrainings/{id}/reject", id).then().statusCode(200).body("status", org.hamcrest.Matchers
                .equalTo("DECLINED"));
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
