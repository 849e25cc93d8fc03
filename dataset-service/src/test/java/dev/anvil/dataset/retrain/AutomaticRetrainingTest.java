package dev.anvil.dataset.retrain;

import dev.anvil.dataset.ServiceMetrics;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.model.ModelVersionRegistered;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.model.ModelVersionPromoted;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.events.testing.PrometheusText;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.anvil.dataset.ServiceMetrics.grown;
import static dev.anvil.dataset.retrain.LoopFixture.BASE_MODEL;
import static dev.anvil.dataset.retrain.LoopFixture.FEATURE;
import static dev.anvil.dataset.retrain.LoopFixture.SETTINGS;
import static dev.anvil.dataset.retrain.LoopFixture.drift;
import static dev.anvil.dataset.retrain.LoopFixture.fresh;
import static dev.anvil.dataset.retrain.LoopFixture.publish;
import static dev.anvil.dataset.retrain.LoopFixture.trained;
import static dev.anvil.dataset.retrain.LoopFixture.traffic;
import static dev.anvil.dataset.retrain.LoopFixture.parentVersion;
import static dev.anvil.dataset.retrain.LoopFixture.requestsFor;
import static dev.anvil.dataset.retrain.LoopFixture.retrainings;
import static dev.anvil.dataset.retrain.LoopFixture.served;
import static dev.anvil.dataset.retrain.LoopFixture.trainingRequests;
import static dev.anvil.dataset.retrain.RetrainingMetrics.ENDED;
import static dev.anvil.dataset.retrain.RetrainingMetrics.assertCountedAsListed;
import static dev.anvil.dataset.retrain.RetrainingMetrics.assertInFlightAsListed;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic mode on the real broker, with a stand-in for the gateway's traffic API: a drift alert on a version whose
 * training request was seen becomes a child version (traffic cleaned and anonymised like an upload, parent recorded)
 * and a training request with the previous settings and route; redeliveries, a second alert while in flight, the
 * cool-down and the daily maximum are refused with their reasons; the loop's outcome frees the route.
 */
@QuarkusTest
@TestProfile(AutomaticRetrainingTest.Automatic.class)
class AutomaticRetrainingTest {

    public static class Automatic extends RetrainingProfile {
        @Override
        Map<String, String> policy() {
            return Map.of("anvil.dataset.retraining.mode", "automatic",
                    "anvil.dataset.retraining.cooldown", "PT8S",
                    "anvil.dataset.retraining.max-per-day", "2",
                    "anvil.dataset.retraining.traffic-page-size", "4",
                    "anvil.dataset.retraining.traffic-limit", "10");
        }
    }

    @Test
    void aDriftingVersionIsRetrainedOnItsTrafficThenTheGuardsHold() throws Exception {
        LoopFixture.Served served = served("support", 10, 6);
        String dataset = served.dataset(), parent = served.parentVersion(), route = served.route(), job = served.job();
        PrometheusText before = ServiceMetrics.scrape();

        try (KafkaConsumer<String, String> requests = trainingRequests()) {
            Envelope alert = publish(drift(job));
            JsonPath list = retrainings(route, 1);
            assertEquals("REQUESTED", list.getString("[0].status"), list.prettify());
            String id = list.getString("[0].id");
            JsonPath retraining = given().get("/retrainings/{id}", id).then().statusCode(200).extract().jsonPath();
            String child = retraining.getString("lineage.childVersion");
            String newJob = retraining.getString("jobId");
            assertEquals("retrain-" + id.replace("-", "").substring(0, 12), newJob);
            assertEquals(alert.id(), retraining.getString("trigger.eventId"));
            assertEquals(parent, retraining.getString("lineage.parentVersion"));
            assertNotNull(retraining.getString("events.sourceRequest"));
            assertNotNull(retraining.getString("events.requested"));
            // Six records in pages of four: the second page starts before the first one's oldest second.
            assertEquals(List.of("limit=4", "limit=4&before=2026-12-06T09:59:57Z"), pagesAskedFor(job));

            // The child: the parent's records and the traffic, anonymised, with the parent as its parent.
            JsonPath version = given().get("/datasets/{d}/versions/{v}", dataset, child).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(parent, version.getString("parent"));
            assertEquals(16, version.getInt("records.accepted"));
            assertEquals(6, version.getInt("piiRedacted"));
            String content = file(dataset, child, "train.jsonl") + file(dataset, child, "validation.jsonl");
            assertTrue(content.contains("for traffic 5.") && content.contains("parent 9:"), content);
            assertTrue(content.contains("[EMAIL]"), content);
            assertFalse(content.contains("@example.com"), "no e-mail address survives: " + content);

            // Its training request: the previous job's settings and route, on the child version.
            List<TrainingRequested> published = requestsFor(requests, newJob, 1, Duration.ofSeconds(10));
            assertEquals(1, published.size());
            TrainingRequested request = published.get(0);
            assertEquals(BASE_MODEL, request.baseModel());
            assertEquals(TrainingMethod.LORA, request.method());
            assertEquals(SETTINGS, request.hyperparameters());
            assertEquals(route, request.route());
            assertEquals(dataset, request.dataset().name());
            assertEquals(child, request.dataset().version());

            // The same alert again changes nothing and publishes nothing.
            publish(alert);
            // A second alert while the first is in flight is skipped, naming it.
            publish(drift(job));
            list = retrainings(route, 2);
            assertEquals("SKIPPED", list.getString("[0].status"));
            assertTrue(list.getString("[0].steps[0].why").contains("another retraining (" + id
                    + ", REQUESTED) is in flight on route " + route), list.prettify());
            assertEquals(List.of(), requestsFor(requests, newJob, 0, Duration.ofSeconds(2)), "nothing sent again");

            // The job's events of the loop arrive at once on three topics (a consumer thread each): each one is noted.
            String adapter = "runs/" + newJob + "/adapter";
            try (KafkaProducer<String, String> producer = InProcessKafka.producer()) {
                for (EventData event : List.of(
                        new TrainingCompleted(newJob, BASE_MODEL, new DatasetRef(dataset, child), TrainingMethod.LORA,
                                adapter, null, 3, Map.of(), route),
                        new EvaluationCompleted("eval-" + newJob, newJob, BASE_MODEL, adapter, Map.of(), Map.of(),
                                Verdict.PASS, List.of("perplexity: pass"), null, route),
                        new ModelVersionRegistered(route, newJob, BASE_MODEL, adapter))) {
                    producer.send(EventCodec.toRecord(Envelope.wrap("test", event)));
                }
            }
            JsonPath noted = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                    () -> given().get("/retrainings/{id}", id).then().statusCode(200).extract().jsonPath(),
                    r -> r.getList("steps").size() >= 5);
            String trail = String.join("\n", noted.<String>getList("steps.why"));
            for (String note : List.of("training completed (best step 3)", "evaluation eval-" + newJob + ": pass",
                    "registered on route " + route)) {
                assertTrue(trail.contains(note), "noted '" + note + "':\n" + trail);
            }
            assertEquals(5, noted.getList("steps").size(), trail);

            // The outcome ends it and frees the route, but the cool-down holds the next alert back.
            publish(new ModelVersionPromoted(route, newJob, job));
            JsonPath promoted = awaitStatus(id, "PROMOTED");
            assertEquals(route, promoted.getString("route"));
            assertNotNull(promoted.getString("events.outcome"));
            publish(drift(job));
            list = retrainings(route, 3);
            assertEquals("SKIPPED", list.getString("[0].status"));
            assertTrue(list.getString("[0].steps[0].why").contains("cool-down until"), list.prettify());

            // After the cool-down a second one goes ahead (2 a day), then the daily maximum holds.
            Thread.sleep(8_100);
            publish(drift(job));
            list = retrainings(route, 4);
            assertEquals("REQUESTED", list.getString("[0].status"), list.prettify());
            String second = list.getString("[0].id");
            publish(new TrainingFailed(list.getString("[0].jobId"), "out of memory"));
            assertTrue(awaitStatus(second, "TRAINING_FAILED").getString("steps[-1].why")
                    .contains("out of memory"));
            Thread.sleep(8_100);
            publish(drift(job));
            list = retrainings(route, 5);
            assertEquals("SKIPPED", list.getString("[0].status"));
            assertTrue(list.getString("[0].steps[0].why").contains("max 2 a day reached"), list.prettify());
            // Three skipped, one promoted, one whose training failed; two trainings requested; the redelivered
            // alert counted nothing.
            assertCountedAsListed(before, list, route, FEATURE);
            assertInFlightAsListed();
        }
    }

    @Test
    void trafficIsReadPageByPageUpToTheTrafficLimit() {
        String dataset = fresh("paged"), route = fresh("paged"), job = fresh("job");
        trained(job, dataset, parentVersion(dataset, 4), route);
        StandInGateway.answer(job, 200, traffic(13));

        publish(drift(job));
        JsonPath list = retrainings(route, 1);
        assertEquals("REQUESTED", list.getString("[0].status"), list.prettify());
        // Pages of traffic-page-size 4, each from the previous one's x-anvil-next-before; the last asks only for
        // what is left of traffic-limit 10, and none is asked for after it although the gateway has more.
        assertEquals(List.of("limit=4", "limit=4&before=2026-12-06T09:59:57Z", "limit=2&before=2026-12-06T09:59:53Z"),
                pagesAskedFor(job));
        assertTrue(list.getString("[0].steps[-1].why").contains("10 traffic samples"), list.prettify());
        String child = list.getString("[0].lineage.childVersion");
        String content = file(dataset, child, "train.jsonl") + file(dataset, child, "validation.jsonl");
        for (int i = 0; i < 10; i++) assertTrue(content.contains("for traffic " + i + "."), i + ": " + content);
        assertFalse(content.contains("for traffic 10."), "the oldest three are past traffic-limit: " + content);
    }

    @Test
    void tooFewSamplesIsSkippedWithTheCounts() {
        LoopFixture.Served few = served("few", 4, 2);
        PrometheusText before = ServiceMetrics.scrape();

        publish(drift(few.job()));
        JsonPath list = retrainings(few.route(), 1);
        assertEquals("SKIPPED", list.getString("[0].status"));
        assertTrue(list.getString("[0].steps[-1].why").contains("only 2 traffic samples, min-samples 3"),
                list.prettify());
        assertNull(list.getString("[0].lineage.childVersion"));
        assertCountedAsListed(before, list, few.route(), FEATURE);
    }

    @Test
    void aGatewayThatCannotServeFailsTheRetrainingAndNothingIsRequested() {
        assertGatewayFails(job -> StandInGateway.answer(job, 503, "{\"title\":\"no traffic kept\"}"),
                "the gateway answered 503 to GET ");
    }

    @Test
    void aLaterPageThatFailsFailsTheRetraining() {
        String job = assertGatewayFails(version -> StandInGateway.failLaterPages(version, traffic(6), 502),
                "the gateway answered 502 to GET ");
        assertEquals(List.of("limit=4", "limit=4&before=2026-12-06T09:59:57Z"), pagesAskedFor(job));
    }

    /**
     * A version whose traffic {@code gateway} makes unavailable: FAILED with {@code reason}, nothing requested.
     * Answers the version.
     */
    private static String assertGatewayFails(Consumer<String> gateway, String reason) {
        String dataset = fresh("down"), route = fresh("down"), job = fresh("job");
        trained(job, dataset, parentVersion(dataset, 4), route);
        gateway.accept(job);
        PrometheusText before = ServiceMetrics.scrape();

        try (KafkaConsumer<String, String> requests = trainingRequests()) {
            publish(drift(job));
            JsonPath list = retrainings(route, 1);
            assertEquals("FAILED", list.getString("[0].status"));
            assertTrue(list.getString("[0].steps[-1].why").contains(reason), list.prettify());
            assertFalse(list.getString("[0].steps[-1].why").contains(StandInGateway.KEY), "the key is never shown");
            assertNull(list.getString("[0].jobId"));
            assertEquals(List.of(), requestsFor(requests, "retrain-" + list.getString("[0].id")
                    .replace("-", "").substring(0, 12), 0, Duration.ofSeconds(2)));
            assertCountedAsListed(before, list, route, FEATURE);
        }
        return job;
    }

    @Test
    void anAlertOnAVersionOfUnknownTrainingIsSkipped() {
        String job = fresh("unknown");
        PrometheusText before = ServiceMetrics.scrape();
        Envelope alert = publish(drift(job, "made_up_feature"));
        JsonPath retraining = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> given().get("/retrainings").then().extract().jsonPath(),
                        all -> all.getList("findAll { it.trigger.eventId == '" + alert.id() + "' }").size() == 1)
                .setRootPath("find { it.trigger.eventId == '" + alert.id() + "' }");
        assertEquals("SKIPPED", retraining.getString("status"));
        assertTrue(retraining.getString("steps[0].why").contains("no TrainingRequested with jobId " + job),
                retraining.prettify());
        // A feature the gateway does not monitor is counted as other, not as a series of its own.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(1,
                grown(before, ServiceMetrics.scrape(), ENDED, "status", "SKIPPED", "feature", "other")));
        assertFalse(ServiceMetrics.scrape().has(ENDED, "feature", "made_up_feature"));
    }

    private static JsonPath awaitStatus(String id, String status) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> given().get("/retrainings/{id}", id).then().statusCode(200).extract().jsonPath(),
                r -> status.equals(r.getString("status")));
    }

    /** The {@code limit} and {@code before} of each traffic request for {@code version}, in order. */
    private static List<String> pagesAskedFor(String version) {
        return StandInGateway.requestsFor(version).stream().map(r -> r.substring(r.indexOf("limit="))).toList();
    }

    private static String file(String dataset, String version, String name) {
        return given().get("/datasets/{d}/versions/{v}/files/{f}", dataset, version, name).then().statusCode(200)
                .extract().asString();
    }
}
