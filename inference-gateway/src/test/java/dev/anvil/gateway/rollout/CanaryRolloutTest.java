package dev.anvil.gateway.rollout;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.events.Topics;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.model.ModelVersionPromoted;
import dev.anvil.events.model.ModelVersionRegistered;
import dev.anvil.events.model.ModelVersionRolledBack;
import dev.anvil.events.model.TrafficSplitChanged;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Canary analysis on the in-process broker, with the test profile's short settings (checks every second, 20% steps
 * to 60%, 2 failed checks roll back, 3 requests and 3 ratings per check): a passing verdict on evaluation.events makes
 * a canary that is promoted while its live metrics hold; a canary whose users rate it down is rolled back with that
 * reason; a failing verdict never gets traffic; every step is on model.events; and clients under way see no failed
 * request while one canary is promoted and another rolled back.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class CanaryRolloutTest {
    static final String MODEL = GatewayDataDir.MODEL;
    static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/v1")
    URL v1;

    String stable;
    String candidate;
    String route;
    String opsKey;

    @BeforeEach
    void routeWithAStableVersion() {
        GatewayClients.awaitReady();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        stable = register("stable-" + suffix);
        candidate = register("candidate-" + suffix);
        route = "support-" + suffix;
        admin().contentType("application/json").body(Map.of("version", stable)).put("/admin/routes/" + route).then()
                .statusCode(200);
        opsKey = admin().contentType("application/json").body("{\"name\":\"canary-driver\",\"admin\":true}")
                .post("/admin/keys").then().statusCode(201).extract().path("key");
    }

    static String register(String id) {
        return GatewayClients.goldenVersion(id);
    }

    static EvaluationCompleted verdict(String version, String route, Verdict verdict) {
        return new EvaluationCompleted("eval-" + version, version, MODEL, "adapters/" + version,
                Map.of("perplexity", 2.0), Map.of("perplexity", 100.0), verdict, List.of("perplexity 2.0 < 100.0"),
                null, route);
    }

    static void publish(EventData data) throws Exception {
        try (KafkaProducer<String, String> producer = InProcessKafka.producer()) {
            ProducerRecord<String, String> r = EventCodec.toRecord(Envelope.wrap("anvil/test", data));
            producer.send(r).get();
        }
    }

    /** One answer from {@code version} of the route (an admin key may choose), and its response id; null once gone. */
    String answerFrom(String version) {
        return answerFrom(route, version);
    }

    String answerFrom(String route, String version) {
        Response r = given().header("Authorization", "Bearer " + opsKey).header("x-anvil-model-version", version)
                .contentType("application/json").body("{\"model\":\"" + route + "\",\"prompt\":\"Hi\",\"max_tokens\":1}")
                .post("/v1/completions");
        if (r.statusCode() == 400) return null; // the rollout just ended and took the version out of the route
        r.then().statusCode(200).header("x-anvil-model-version", equalTo(version));
        return r.path("id");
    }

    void rate(String responseId, int rating) {
        given().header("Authorization", "Bearer " + opsKey).contentType("application/json")
                .body(Map.of("id", responseId, "rating", rating)).post("/v1/feedback").then().statusCode(201);
    }

    /** Sends traffic to both versions (rating each answer with {@code canaryRating} / +1) until the rollout ends. */
    String driveUntilDone(Integer canaryRating) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 4; i++) {
                String canaryAnswer = answerFrom(candidate);
                String stableAnswer = answerFrom(stable);
                if (canaryAnswer == null || stableAnswer == null) break;
                if (canaryRating != null) {
                    rate(canaryAnswer, canaryRating);
                    rate(stableAnswer, 1);
                }
            }
            String state = stateOf(candidate);
            if (!"CANARY".equals(state)) return state;
            Thread.sleep(100);
        }
        throw new AssertionError("the rollout of " + candidate + " did not end within " + WAIT);
    }

    String stateOf(String version) {
        return admin().get("/admin/versions/" + version + "/rollout").path("state");
    }

    void awaitCanary() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                admin().get("/admin/routes/" + route).then().statusCode(200).body("analysis.state", equalTo("CANARY"))
                        .body("variants[1].version", equalTo(candidate)).body("variants[1].weight", equalTo(20))
                        .body("variants[0].weight", equalTo(80)));
    }

    @Test
    void aPassingVerdictMakesACanaryThatIsPromotedWhileItsMetricsHold() throws Exception {
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.MODEL_EVENTS)) {
            publish(verdict(candidate, route, Verdict.PASS));
            awaitCanary();
            assertEquals("PROMOTED", driveUntilDone(null));

            admin().get("/admin/routes/" + route).then().body("version", equalTo(candidate)).body("variants", hasSize(1))
                    .body("analysis.state", equalTo("PROMOTED")).body("analysis.stable", equalTo(stable))
                    .body("analysis.checks.findAll { it.outcome == 'PASSED' }.weight", equalTo(List.of(60, 40, 20)));
            List<EventData> published = eventsOf(events, e -> e instanceof ModelVersionPromoted);
            assertEquals(new ModelVersionRegistered(route, candidate, MODEL, "adapters/" + candidate), published.get(1));
            assertEquals(List.of(Map.of(stable, 0.8, candidate, 0.2), Map.of(stable, 0.6, candidate, 0.4),
                    Map.of(stable, 0.4, candidate, 0.6), Map.of(candidate, 1.0)), published.stream()
                    .filter(e -> e instanceof TrafficSplitChanged).skip(1).map(e -> ((TrafficSplitChanged) e).shares())
                    .toList());
            assertEquals(new ModelVersionPromoted(route, candidate, stable), published.get(published.size() - 1));

            // The same verdict again changes nothing.
            publish(verdict(candidate, route, Verdict.PASS));
            String marker = register("marker-" + UUID.randomUUID().toString().substring(0, 8));
            publish(verdict(marker, null, Verdict.FAIL));
            await().atMost(WAIT).until(() -> admin().get("/admin/versions/" + marker + "/rollout").statusCode() == 200);
            admin().get("/admin/routes/" + route).then().body("variants", hasSize(1)).body("version", equalTo(candidate));
        }
    }

    @Test
    void theVerdictsTraceGoesOnInTheModelEventsItCauses() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.MODEL_EVENTS);
             KafkaProducer<String, String> producer = InProcessKafka.producer()) {
            ProducerRecord<String, String> r = EventCodec.toRecord(Envelope.wrap("anvil/eval-service",
                    verdict(candidate, route, Verdict.PASS)));
            r.headers().add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(UTF_8));
            producer.send(r).get();
            ConsumerRecord<String, String> registered = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (registered == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> e : events.poll(Duration.ofMillis(200))) {
                    if (route.equals(e.key()) && EventCodec.fromJson(e.value()).data() instanceof ModelVersionRegistered) {
                        registered = e;
                    }
                }
            }
            assertNotNull(registered, "ModelVersionRegistered of " + candidate);
            Header traceparent = registered.headers().lastHeader("traceparent");
            assertNotNull(traceparent, "sent in the verdict's trace, through the outbox");
            assertTrue(new String(traceparent.value(), UTF_8).startsWith("00-" + traceId + "-"),
                    new String(traceparent.value(), UTF_8));
        }
    }

    @Test
    void aCanaryItsUsersRateDownIsRolledBackWithThatReason() throws Exception {
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.MODEL_EVENTS)) {
            publish(verdict(candidate, route, Verdict.PASS));
            awaitCanary();
            assertEquals("ROLLED_BACK", driveUntilDone(-1));

            admin().get("/admin/routes/" + route).then().body("version", equalTo(stable)).body("variants", hasSize(1))
                    .body("analysis.failedChecks", equalTo(2))
                    .body("analysis.reason", containsString("FAIL negative feedback 100.0% > 10.0%"));
            List<EventData> published = eventsOf(events, e -> e instanceof ModelVersionRolledBack);
            ModelVersionRolledBack back = assertInstanceOf(ModelVersionRolledBack.class,
                    published.get(published.size() - 1));
            assertEquals(candidate, back.modelVersion());
            assertEquals(stable, back.restored());
            assertTrue(back.reason().contains("negative feedback"), back.reason());
        }
    }

    @Test
    void aFailingVerdictNeverGetsTraffic() throws Exception {
        publish(verdict(candidate, route, Verdict.FAIL));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                admin().get("/admin/versions/" + candidate + "/rollout").then().statusCode(200)
                        .body("state", equalTo("REJECTED")).body("reason", containsString("perplexity")));
        admin().get("/admin/routes/" + route).then().body("variants", hasSize(1)).body("version", equalTo(stable));
    }

    @Test
    void anOperatorWhoMovesTheRouteByHandEndsTheAnalysis() throws Exception {
        publish(verdict(candidate, route, Verdict.PASS));
        awaitCanary();
        admin().contentType("application/json").body(Map.of("version", stable)).put("/admin/routes/" + route).then()
                .statusCode(200);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                admin().get("/admin/versions/" + candidate + "/rollout").then().body("state", equalTo("ROLLED_BACK"))
                        .body("reason", equalTo("taken out of route " + route + " by hand")));
        admin().get("/admin/routes/" + route).then().body("variants", hasSize(1)).body("version", equalTo(stable));
    }

    @Test
    void noRequestFailsWhileOneCanaryIsPromotedAndAnotherRolledBack() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String otherStable = register("other-stable-" + suffix);
        String otherCandidate = register("other-candidate-" + suffix);
        String otherRoute = "billing-" + suffix;
        admin().contentType("application/json").body(Map.of("version", otherStable)).put("/admin/routes/" + otherRoute)
                .then().statusCode(200);

        // One client per route through the OpenAI SDK, as many users, without pause, all along both switches.
        AtomicBoolean done = new AtomicBoolean();
        List<String> failures = new CopyOnWriteArrayList<>();
        Map<String, Set<String>> versionsServed = new ConcurrentHashMap<>();
        AtomicInteger answered = new AtomicInteger();
        OpenAIClient client = GatewayClients.sdk(v1);
        List<Thread> load = new ArrayList<>();
        for (String r : List.of(route, otherRoute)) {
            Thread t = new Thread(() -> {
                for (int i = 0; !done.get(); i++) {
                    try {
                        HttpResponseFor<ChatCompletion> answer = client.chat().completions().withRawResponse().create(
                                ChatCompletionCreateParams.builder().model(r).addUserMessage("Hi").maxCompletionTokens(2)
                                        .user("user-" + (i % 40)).build());
                        answer.parse();
                        versionsServed.computeIfAbsent(r, k -> ConcurrentHashMap.newKeySet())
                                .addAll(answer.headers().values("x-anvil-model-version"));
                        answered.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(r + ": " + e);
                    }
                }
            }, "load-" + r);
            t.start();
            load.add(t);
        }
        try {
            publish(verdict(candidate, route, Verdict.PASS));
            publish(verdict(otherCandidate, otherRoute, Verdict.PASS));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(Objects.equals(stateOf(candidate), "PROMOTED") && Objects.equals(stateOf(otherCandidate),
                    "ROLLED_BACK")) && System.nanoTime() < deadline) {
                // Enough canary traffic for each check, and the other canary's users rate it down.
                if (answerFrom(route, candidate) == null) continue;
                String bad = answerFrom(otherRoute, otherCandidate);
                String good = answerFrom(otherRoute, otherStable);
                if (bad != null && good != null) {
                    rate(bad, -1);
                    rate(good, 1);
                }
            }
            Thread.sleep(500); // and on a little after both switches
        } finally {
            done.set(true);
            for (Thread t : load) t.join();
        }
        System.out.printf("under load: %d answers to the SDK clients, %d failed, versions served %s%n",
                answered.get(), failures.size(), versionsServed);
        assertEquals("PROMOTED", stateOf(candidate));
        assertEquals("ROLLED_BACK", stateOf(otherCandidate));
        assertEquals(List.of(), failures);
        assertTrue(answered.get() >= 20, answered + " answers");
        assertTrue(versionsServed.get(route).containsAll(Set.of(stable, candidate)), versionsServed.toString());
        admin().get("/admin/routes/" + route).then().body("version", equalTo(candidate));
        admin().get("/admin/routes/" + otherRoute).then().body("version", equalTo(otherStable))
                .body("variants", hasSize(1));
    }

    /** The events of this test's route on model.events, in order, up to the first that {@code last} accepts. */
    List<EventData> eventsOf(KafkaConsumer<String, String> consumer, Predicate<EventData> last) {
        List<EventData> found = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (!route.equals(r.key())) continue;
                EventData data = EventCodec.fromJson(r.value()).data();
                if (!found.contains(data)) found.add(data); // a resend by another round is the same event
                if (last.test(data)) return found;
            }
        }
        throw new AssertionError("model.events of " + route + " so far: " + found);
    }
}
