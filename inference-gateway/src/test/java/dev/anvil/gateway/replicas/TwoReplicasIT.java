package dev.anvil.gateway.replicas;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.testing.SharedFixtures;
import dev.anvil.gateway.testing.PackagedGateway;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway processes, the packaged application as it is deployed, on one database (H2 in server mode) and one
 * broker: they agree on the route table whichever of them changed it, a canary analysis is run by one of them at a
 * time, so that every check happens once and the canary is promoted as with one replica, and a key's rate limit holds
 * for both together.
 */
class TwoReplicasIT {
    static final String ADMIN_KEY = "it-admin-" + UUID.randomUUID();
    static final String MODEL = SharedFixtures.MODEL;
    static final Duration WAIT = PackagedGateway.WAIT;

    static Path dataDir;
    static final List<Process> processes = new ArrayList<>();
    static String first;
    static String second;
    static String opsKey;

    @BeforeAll
    static void twoReplicas() throws Exception {
        dataDir = PackagedGateway.dataDir("replicas-data-");
        String kafka = InProcessKafka.bootstrapServers();
        first = start("a", kafka);
        second = start("b", kafka); // after the first: one Flyway migration, then the second finds it done
        opsKey = admin(first).contentType("application/json").body("{\"name\":\"it\",\"admin\":true}")
                .post("/admin/keys").then().statusCode(201).extract().path("key");
    }

    @AfterAll
    static void stop() {
        processes.forEach(Process::destroy);
    }

    /** Starts the packaged gateway and answers its base URL once it is ready. */
    static String start(String name, String kafka) throws Exception {
        int port = PackagedGateway.freePort();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.http.port", String.valueOf(port));
        properties.put("anvil.data-dir", dataDir.toString());
        properties.put("anvil.gateway.base-models", MODEL);
        properties.put("anvil.gateway.instance-id", "replica-" + name);
        // No default limits: the canary test sends as fast as it can; the rate limit test sets its key's own.
        properties.put("anvil.gateway.rate-limits.requests-per-minute", "");
        properties.put("anvil.gateway.rate-limits.tokens-per-minute", "");
        // One database for both: the first process serves the file to the second (H2's automatic mixed mode).
        properties.put("quarkus.datasource.jdbc.url",
                "jdbc:h2:file:" + dataDir.resolve("db/gateway") + ";AUTO_SERVER=TRUE");
        properties.put("kafka.bootstrap.servers", kafka);
        properties.put("anvil.gateway.live.flush-interval", "PT0.2S");
        properties.put("anvil.gateway.rollout.interval", "PT1S");
        properties.put("anvil.gateway.rollout.first-weight", "20");
        properties.put("anvil.gateway.rollout.step-weight", "20");
        properties.put("anvil.gateway.rollout.max-weight", "60");
        properties.put("anvil.gateway.rollout.min-requests", "3");
        properties.put("anvil.gateway.rollout.latency-slack", "PT5S");
        Path log = dataDir.resolve("replica-" + name + ".log");
        Process process = PackagedGateway.start(properties, Map.of("ANVIL_GATEWAY_ADMIN_KEY", ADMIN_KEY), log);
        processes.add(process);
        String url = "http://127.0.0.1:" + port;
        PackagedGateway.awaitReady(process, log, () -> given().baseUri(url).get("/q/health/ready").statusCode() == 200);
        return url;
    }

    static RequestSpecification admin(String replica) {
        return given().baseUri(replica).header("Authorization", "Bearer " + ADMIN_KEY);
    }

    static String register(String replica, String id) {
        SharedFixtures.linkGoldenAdapter(dataDir, "adapters/" + id);
        admin(replica).contentType("application/json").body(Map.of("id", id, "baseModel", MODEL, "adapterPath",
                "adapters/" + id)).post("/admin/versions").then().statusCode(201);
        return id;
    }

    static String servedBy(String replica, String route, String version) {
        Response r = given().baseUri(replica).header("Authorization", "Bearer " + opsKey)
                .header("x-anvil-model-version", version).contentType("application/json")
                .body("{\"model\":\"" + route + "\",\"prompt\":\"Hi\",\"max_tokens\":1}").post("/v1/completions");
        return r.statusCode() == 200 ? r.header("x-anvil-model-version") : null;
    }

    static JsonPath route(String replica, String name) {
        return admin(replica).get("/admin/routes/" + name).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aKeysTokensPerMinuteHoldForBothReplicasTogether() throws Exception {
        String key = admin(first).contentType("application/json").body(Map.of("name", "limited", "limits",
                Map.of("tokensPerMinute", 150))).post("/admin/keys").then().statusCode(201).extract().path("key");
        // 24 clients at once, half on each replica, each reserving its prompt and 20 tokens: about 6 fit in 150.
        ExecutorService pool = Executors.newFixedThreadPool(24);
        CountDownLatch start = new CountDownLatch(1);
        long started = System.nanoTime();
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                String replica = i % 2 == 0 ? first : second;
                answers.add(pool.submit(() -> {
                    start.await();
                    return given().baseUri(replica).header("Authorization", "Bearer " + key)
                            .contentType("application/json").body(Map.of("model", MODEL, "prompt", "Once upon a time",
                                    "max_tokens", 20, "temperature", 0)).post("/v1/completions");
                }));
            }
            start.countDown();
            long spent = 0;
            int served = 0, refused = 0;
            for (Future<Response> f : answers) {
                Response r = f.get();
                if (r.statusCode() == 200) {
                    spent += r.jsonPath().getLong("usage.total_tokens");
                    served++;
                } else {
                    assertEquals(429, r.statusCode(), r.asString());
                    assertEquals("rate_limit_exceeded", r.jsonPath().getString("error.code"));
                    refused++;
                }
            }
            // The limit refills evenly over the minute: what the run's length added is allowed too.
            long allowed = 150 + (long) Math.ceil((System.nanoTime() - started) / 60e9 * 150);
            assertTrue(spent <= allowed, spent + " tokens spent by " + served + " answers; the limit allowed " + allowed);
            assertTrue(served >= 1 && refused >= 1, served + " served, " + refused + " refused");
            System.out.printf("two replicas, tokens per minute 150: %d served, %d refused, %d tokens spent%n", served,
                    refused, spent);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bothReplicasServeTheSplitEitherOfThemSet() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String a = register(first, "a-" + suffix);
        String b = register(second, "b-" + suffix); // registered on the other replica, known to both
        String name = "shared-" + suffix;
        admin(first).contentType("application/json").body(Map.of("variants", List.of(Map.of("version", a, "weight", 70),
                Map.of("version", b, "weight", 30)))).put("/admin/routes/" + name).then().statusCode(200);
        assertEquals(route(first, name).getList("variants"), route(second, name).getList("variants"));
        assertEquals(b, servedBy(second, name, b));

        admin(second).contentType("application/json").body(Map.of("version", b)).put("/admin/routes/" + name).then()
                .statusCode(200);
        assertEquals(List.of(Map.of("version", b, "weight", 100)), route(first, name).getList("variants"));
        assertEquals(null, servedBy(first, name, a), "a is no variant any more, on the replica that did not move it");
    }

    @Test
    void aCanaryIsCheckedOnceAtATimeAndPromotedWithTrafficOnBothReplicas() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String stable = register(first, "stable-" + suffix);
        String candidate = register(first, "candidate-" + suffix);
        String name = "canary-" + suffix;
        admin(first).contentType("application/json").body(Map.of("version", stable)).put("/admin/routes/" + name).then()
                .statusCode(200);
        try (KafkaProducer<String, String> producer = InProcessKafka.producer()) {
            producer.send(EventCodec.toRecord(Envelope.wrap("anvil/test", new EvaluationCompleted("eval-" + candidate,
                    candidate, MODEL, "adapters/" + candidate, Map.of(), Map.of(), Verdict.PASS, List.of("ok"), null,
                    name)))).get();
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        String state = "";
        while (!state.equals("PROMOTED") && System.nanoTime() < deadline) {
            for (String replica : List.of(first, second)) { // the canary's traffic split over both replicas
                servedBy(replica, name, candidate);
                servedBy(replica, name, stable);
            }
            state = String.valueOf(route(second, name).getString("analysis.state"));
        }
        assertEquals("PROMOTED", state);
        JsonPath promoted = route(first, name);
        assertEquals(List.of(Map.of("version", candidate, "weight", 100)), promoted.getList("variants"));
        // Each step checked once: had both replicas run a due check, a weight would pass twice.
        assertEquals(List.of(60, 40, 20), promoted.getList("analysis.checks.findAll { it.outcome == 'PASSED' }.weight"));
    }
}
