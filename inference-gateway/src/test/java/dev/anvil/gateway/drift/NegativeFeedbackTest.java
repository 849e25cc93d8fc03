package dev.anvil.gateway.drift;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.anvil.events.Topics;
import dev.anvil.events.drift.DriftDetected;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static dev.anvil.gateway.testing.GatewayClients.api;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Negative feedback as a retraining trigger on the real gateway and the in-process broker: answers served through the
 * OpenAI SDK and rated through {@code POST /v1/feedback}; the test profile fires from 3 ratings at a share of 0.5.
 * Two ratings down are too few; the third rating (up) makes 2 of 3 down and publishes one {@code DriftDetected}; more
 * ratings down, and a repeated one, publish nothing more within the cool-down.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class NegativeFeedbackTest {
    @TestHTTPResource("/v1")
    URL v1;
    OpenAIClient client;

    @BeforeEach
    void setUp() {
        GatewayClients.awaitReady();
        client = GatewayClients.sdk(v1);
    }

    @Test
    void ratingsDownPastTheShareRaiseOneAlertPerCooldown() {
        String version = GatewayClients.routedGoldenVersion("rated-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> answers = new ArrayList<>();
        for (String prompt : List.of("The stars", "The moon", "A cat", "A dog")) {
            answers.add(client.chat().completions().create(ChatCompletionCreateParams.builder().model(version)
                    .addUserMessage(prompt).maxTokens(6).temperature(0.0).build()).id());
        }
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.DRIFT_EVENTS)) {
            rate(answers.get(0), -1);
            rate(answers.get(1), -1);
            rate(answers.get(2), 1);
            rate(answers.get(3), -1);
            rate(answers.get(0), -1); // the same rating again (a client's retry)
            List<DriftDetected> alerts = DriftMonitorTest.alertsOf(events, version, 1);
            DriftDetected alert = alerts.get(0);
            assertEquals(NegativeFeedback.FEATURE, alert.feature());
            assertEquals(NegativeFeedback.STATISTIC, alert.statistic());
            assertEquals(2.0 / 3, alert.value(), 1e-9, "2 of 3 ratings down when the third came");
            assertEquals(0.5, alert.threshold());
            assertEquals(3, alert.window().samples());
            assertEquals(Duration.ofHours(1), Duration.between(alert.window().start(), alert.window().end()));
        }
        admin().get("/admin/drift/" + version).then().statusCode(200)
                .body("alerts.find { it.feature == 'negative_feedback' }.statistic", equalTo("share"))
                .body("alerts.find { it.feature == 'negative_feedback' }.samples", equalTo(3));
    }

    private static void rate(String responseId, int rating) {
        api().contentType("application/json").body(Map.of("id", responseId, "rating", rating)).post("/v1/feedback")
                .then().statusCode(201);
    }
}
