package dev.anvil.gateway.drift;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.drift.DriftDetected;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drift on the real gateway, the real model, the real embedding model and the in-process broker: chat requests
 * through the OpenAI SDK, measured per version; the test profile's windows are 40 requests after a reference of 40.
 * Stable traffic raises nothing; another language, much longer prompts and another topic each raise
 * {@code DriftDetected} on drift.events naming the feature they move, once per window and feature and not again
 * within the cool-down. The prompts come from a seeded generator and answers are greedy, so a run is repeatable.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class DriftMonitorTest {
    static final int REFERENCE = 40;
    static final int WINDOW = 40;
    static final List<String> ANIMALS = List.of("cat", "dog", "bird", "fox", "bear", "rabbit", "frog", "duck", "lion",
            "mouse");
    static final List<String> ADJECTIVES = List.of("little", "happy", "sleepy", "brave", "tiny", "kind", "silly", "big");
    static final List<String> PLACES = List.of("park", "garden", "forest", "house", "river", "town", "school");
    static final List<String> RUSSIAN = List.of("Кот спит.", "Пёс бежит.", "Лиса поёт.", "Мышь ест сыр.",
            "Утка плывёт.", "Лев рычит.", "Заяц прыгает.");
    static final List<String> TOPICS = List.of("How do I rotate TLS certificates on a Kubernetes ingress?",
            "Explain PostgreSQL vacuum and index bloat.", "Why does my JVM garbage collector pause so long?",
            "Configure Kafka consumer lag alerts in Prometheus.", "What is a Terraform state lock?",
            "Tune the JDBC connection pool for high throughput.", "Compare gRPC and REST latency under load.");

    @TestHTTPResource("/v1")
    URL v1;
    OpenAIClient client;
    final Random random = new Random(20261206);

    @BeforeEach
    void setUp() {
        GatewayClients.awaitReady();
        client = GatewayClients.sdk(v1);
    }

    @Test
    void stableTrafficRaisesNothingOverFourWindows() {
        String version = version();
        serve(version, REFERENCE + 4 * WINDOW, this::story);
        JsonPath drift = awaitWindows(version, 4);
        assertEquals(REFERENCE, drift.getInt("drift.reference.samples"));
        List<Boolean> drifted = drift.getList("drift.lastWindow.checks.drifted");
        assertEquals(6, drifted.size(), "six features, the embedding among them: " + drift.getList("drift.lastWindow.checks.feature"));
        assertEquals(List.of(), drift.getList("alerts"), "false alarms over 4 windows: none");
    }

    @Test
    void anotherLanguageRaisesRareTokensAndCharacters() {
        Set<String> raised = raisedAfter(() -> RUSSIAN.get(random.nextInt(RUSSIAN.size())));
        assertTrue(raised.containsAll(Set.of("rare_token_share", "prompt_characters")), raised::toString);
    }

    @Test
    void muchLongerPromptsRaisePromptTokens() {
        Set<String> raised = raisedAfter(() -> story() + " " + story() + " " + story());
        assertTrue(raised.contains("prompt_tokens"), raised::toString);
    }

    @Test
    void anotherTopicRaisesTheEmbedding() {
        Set<String> raised = raisedAfter(() -> TOPICS.get(random.nextInt(TOPICS.size())));
        assertTrue(raised.contains("prompt_embedding"), raised::toString);
    }

    /**
     * Stable reference, then two windows of {@code shifted} prompts: the features raised on drift.events, once each
     * (the second window drifts as much, within the cool-down), and shown by {@code /admin/drift}.
     */
    private Set<String> raisedAfter(Supplier<String> shifted) {
        String version = version();
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.DRIFT_EVENTS)) {
            serve(version, REFERENCE, this::story);
            serve(version, 2 * WINDOW, shifted);
            JsonPath drift = awaitWindows(version, 2);
            List<DriftDetected> alerts = alertsOf(events, version, drift.getList("alerts").size());
            Set<String> features = alerts.stream().map(DriftDetected::feature).collect(Collectors.toSet());
            assertEquals(features.size(), alerts.size(), "once per feature: " + alerts);
            assertFalse(features.isEmpty());
            for (DriftDetected alert : alerts) {
                assertEquals(WINDOW, alert.window().samples());
                assertTrue(alert.statistic().equals("ks_p_value") ? alert.value() < alert.threshold()
                        : alert.value() > alert.threshold(), alert::toString);
            }
            assertEquals(features, Set.copyOf(drift.getList("drift.lastWindow.checks.findAll { it.drifted }.feature")),
                    "the second window drifts in the same features");
            return features;
        }
    }

    /** Polls drift.events until {@code count} alerts of {@code version} came, then a little longer to see no more. */
    static List<DriftDetected> alertsOf(KafkaConsumer<String, String> consumer, String version, int count) {
        List<DriftDetected> alerts = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long settle = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, settle)) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (version.equals(r.key())) alerts.add((DriftDetected) EventCodec.fromJson(r.value()).data());
            }
            if (alerts.size() >= count && settle == Long.MAX_VALUE) settle = System.nanoTime() + 1_500_000_000L;
        }
        assertEquals(count, alerts.size(), "drift.events of " + version + ": " + alerts);
        return alerts;
    }

    private static JsonPath awaitWindows(String version, int windows) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> admin().get("/admin/drift/" + version).then().statusCode(200).extract().jsonPath(),
                json -> json.getInt("drift.windows") == windows && json.getInt("drift.openWindow.samples") == 0);
    }

    private void serve(String version, int requests, Supplier<String> prompts) {
        for (int i = 0; i < requests; i++) {
            client.chat().completions().create(ChatCompletionCreateParams.builder().model(version)
                    .addUserMessage(prompts.get()).maxTokens(8).temperature(0.0).build());
        }
    }

    private String story() {
        return "Tell me a story about a " + pick(ADJECTIVES) + " " + pick(ANIMALS) + " in the " + pick(PLACES) + ".";
    }

    private String pick(List<String> words) {
        return words.get(random.nextInt(words.size()));
    }

    /** A version of its own (the golden adapter) under a route of its own. */
    private static String version() {
        return GatewayClients.routedGoldenVersion("drift-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
