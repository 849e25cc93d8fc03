package dev.anvil.gateway.live;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static dev.anvil.gateway.testing.GatewayClients.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live metrics and feedback on the real gateway: requests through the engine (the OpenAI SDK, whole and streamed)
 * are counted against the version that served them, summed over replicas' rows in the database; feedback names a
 * served response id, is stored, replaced rather than added, and counted once.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class LiveMetricsTest {
    @TestHTTPResource("/v1")
    URL v1;
    @Inject
    LiveMetrics metrics;
    @Inject
    ServedResponses served;

    OpenAIClient client;

    @BeforeEach
    void setUp() {
        GatewayClients.awaitReady();
        client = GatewayClients.sdk(v1);
    }

    /** A version of its own (the golden adapter) under a route of its own: counts nobody else's tests touch. */
    static String routedVersion(String suffix) {
        return GatewayClients.routedGoldenVersion("live-" + suffix);
    }

    static ChatCompletionCreateParams chat(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).maxTokens(12)
                .temperature(0.0).build();
    }

    static Response feedback(String body) {
        return api().contentType("application/json").body(body).post("/v1/feedback");
    }

    @Test
    void requestsAreCountedAgainstTheirVersionAcrossReplicas() {
        String version = routedVersion(UUID.randomUUID().toString().substring(0, 8));
        Instant start = Instant.now().minusSeconds(1);
        List<String> texts = new ArrayList<>();
        for (String prompt : List.of("Tell me about the stars", "The little dragon", "Once upon a time")) {
            ChatCompletion answer = client.chat().completions().create(chat(version, prompt));
            texts.add(answer.choices().get(0).message().content().orElseThrow());
        }
        for (String prompt : List.of("The moon", "A cat")) {
            StringBuilder text = new StringBuilder();
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(chat(version, prompt))) {
                stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
            }
            texts.add(text.toString());
        }
        metrics.flush();

        Window window = metrics.since(version, start);
        assertEquals(5, window.requests(), "3 whole answers and 2 streams");
        assertEquals(0, window.errors());
        assertEquals(texts.stream().filter(RefusalPhrases::isRefusal).count(), window.refusals());
        long latencies = 0;
        for (long c : window.latencyBuckets()) latencies += c;
        assertEquals(5, latencies, "each request's latency in the histogram");
        assertTrue(window.p99().compareTo(Duration.ZERO) > 0 && window.p99().compareTo(Duration.ofSeconds(60)) <= 0,
                "12 tokens of a 260K model: well under a minute, above nothing; got " + window.p99());
        assertEquals(0, metrics.since(version, Instant.now().plusSeconds(60)).requests(), "nothing after now");

        // Another replica's window of the same version, written to the shared table: the sum holds both.
        long[] otherLatency = new long[LatencyHistogram.BUCKETS];
        otherLatency[LatencyHistogram.BUCKETS - 1] = 2;
        Window other = new Window(version, Instant.now(), Instant.now(), 2, 2, 0, otherLatency, 0, 0);
        QuarkusTransaction.requiringNew().run(() -> VersionTraffic.of(other, "other-replica").persist());
        Window both = metrics.since(version, start);
        assertEquals(7, both.requests());
        assertEquals(2.0 / 7, both.errorRate(), 1e-9);
        assertEquals(LatencyHistogram.BEYOND_LAST_BOUND, both.p99(), "2 of 7 requests past the last bound");
        // The scheduled flush may have cut this replica's requests into two windows; the other replica wrote one.
        assertEquals(1, VersionTraffic.count("versionId = ?1 and instanceId = ?2", version, "other-replica"));
        long own = VersionTraffic.count("versionId = ?1 and instanceId = ?2", version, metrics.instanceId());
        assertTrue(own >= 1, "this replica's windows: " + own);
    }

    @Test
    void feedbackIsStoredPerResponseReplacedNotAddedAndCounted() {
        String version = routedVersion(UUID.randomUUID().toString().substring(0, 8));
        Instant start = Instant.now().minusSeconds(1);
        ChatCompletion answer = client.chat().completions().create(chat(version, "Tell me about the stars"));
        String id = answer.id();

        feedback("{\"id\":\"" + id + "\",\"rating\":\"up\"}").then().statusCode(201)
                .body("object", equalTo("feedback"))
                .body("id", equalTo("fb-" + id))
                .body("response_id", equalTo(id))
                .body("model", equalTo(version))
                .body("model_version", equalTo(version))
                .body("rating", equalTo(1))
                .body("correction", nullValue());
        feedback("{\"id\":\"" + id + "\",\"rating\":1}").then().statusCode(201).body("rating", equalTo(1));
        metrics.flush();
        Window up = metrics.since(version, start);
        assertEquals(1, up.positiveFeedback(), "the same rating twice counts once");
        assertEquals(0, up.negativeFeedback());

        feedback("{\"id\":\"" + id + "\",\"rating\":\"down\",\"correction\":\"The stars are far away.\"}").then()
                .statusCode(201).body("rating", equalTo(-1)).body("correction", equalTo("The stars are far away."));
        metrics.flush();
        Window down = metrics.since(version, start);
        assertEquals(0, down.positiveFeedback(), "the replaced rating is taken back");
        assertEquals(1, down.negativeFeedback());
        assertEquals(1.0, down.negativeFeedbackRate());
        Feedback stored = QuarkusTransaction.requiringNew().call(() -> Feedback.<Feedback>findById(id));
        assertEquals(-1, stored.rating);
        assertEquals("The stars are far away.", stored.correction);
        assertEquals(version, stored.versionId);

        // A streamed answer's id (every chunk carries it) can be rated as well.
        String streamedId;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(chat(version, "The moon"))) {
            streamedId = stream.stream().map(ChatCompletionChunk::id).reduce((a, b) -> b).orElseThrow();
        }
        feedback("{\"id\":\"" + streamedId + "\",\"rating\":-1}").then().statusCode(201)
                .body("model_version", equalTo(version));
        metrics.flush();
        assertEquals(2, metrics.since(version, start).negativeFeedback());
    }

    @Test
    void feedbackErrorsComeInOpenAisShapeNamingTheField() {
        String id = client.chat().completions().create(chat(GatewayDataDir.MODEL, "The stars")).id();
        feedback("{\"id\":\"chatcmpl-nothing-like-it\",\"rating\":1}").then().statusCode(404)
                .body("error.param", equalTo("id")).body("error.code", equalTo("response_not_found"))
                .body("error.type", equalTo("invalid_request_error"));
        feedback("{\"id\":\"" + id + "\",\"rating\":\"sideways\"}").then().statusCode(400)
                .body("error.param", equalTo("rating")).body("error.message", containsString("\"sideways\""));
        feedback("{\"id\":\"" + id + "\",\"rating\":2}").then().statusCode(400).body("error.param", equalTo("rating"));
        feedback("{\"id\":\"" + id + "\",\"rating\":1.0}").then().statusCode(400).body("error.param", equalTo("rating"));
        feedback("{\"id\":\"" + id + "\"}").then().statusCode(400).body("error.param", equalTo("rating"));
        feedback("{\"rating\":1}").then().statusCode(400).body("error.param", equalTo("id"));
        feedback("{\"id\":\"" + id + "\",\"rating\":1,\"correction\":\"" + "x".repeat(Feedbacks.MAX_CORRECTION_CHARS + 1)
                + "\"}").then().statusCode(400).body("error.param", equalTo("correction"))
                .body("error.message", containsString("string too long"));
        feedback("{\"id\":\"" + id + "\",\"rating\":1,\"correction\":\"" + "x".repeat(Feedbacks.MAX_CORRECTION_CHARS)
                + "\"}").then().statusCode(201);
        given().contentType("application/json").body("{\"id\":\"" + id + "\",\"rating\":1}").post("/v1/feedback")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void windowsAndServedIdsOlderThanTheRetentionArePurged() {
        String version = "purge-" + UUID.randomUUID().toString().substring(0, 8);
        Instant old = Instant.now().minus(Duration.ofDays(8));
        QuarkusTransaction.requiringNew().run(() -> {
            VersionTraffic.of(new Window(version, old, old.plusSeconds(5), 1, 0, 0, null, 0, 0), "a").persist();
            VersionTraffic.of(new Window(version, Instant.now(), Instant.now(), 1, 0, 0, null, 0, 0), "a").persist();
        });
        served.remember("chatcmpl-old-" + version, version, version, old);
        served.remember("chatcmpl-new-" + version, version, version, Instant.now());
        Instant cutoff = Instant.now().minus(Duration.ofDays(7));
        assertTrue(metrics.purgeBefore(cutoff) >= 1);
        assertTrue(served.purgeBefore(cutoff) >= 1);
        assertEquals(1, metrics.since(version, old.minusSeconds(1)).requests(), "the recent window is kept");
        QuarkusTransaction.requiringNew().run(() -> {
            assertNull(ServedResponse.findById("chatcmpl-old-" + version));
            assertNotNull(ServedResponse.findById("chatcmpl-new-" + version));
        });
    }
}
