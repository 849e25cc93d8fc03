package dev.anvil.gateway.live;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.anvil.events.testing.PrometheusText;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serving metrics on {@code /q/metrics}, read as Prometheus scrapes them after requests through the OpenAI SDK
 * (whole, streamed, legacy completion): per route and version, requests, latency, time to first token, inter-token
 * latency and tokens matching the answers' usage; the engines' queue depth; the Kafka consumers' counts.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class ServingMetricsTest {
    @TestHTTPResource("/v1")
    URL v1;

    @Test
    void servedRequestsShowOnQMetricsPerRouteAndVersion() {
        GatewayClients.awaitReady();
        OpenAIClient client = GatewayClients.sdk(v1);
        String version = LiveMetricsTest.routedVersion("metrics-" + UUID.randomUUID().toString().substring(0, 8));
        long promptTokens = 0;
        long completionTokens = 0;
        for (String prompt : new String[]{"Once upon a time", "The little dragon"}) {
            ChatCompletion answer = client.chat().completions().create(LiveMetricsTest.chat(version, prompt));
            promptTokens += answer.usage().orElseThrow().promptTokens();
            completionTokens += answer.usage().orElseThrow().completionTokens();
        }
        ChatCompletionCreateParams streamed = LiveMetricsTest.chat(version, "The moon").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                if (chunk.usage().isPresent()) {
                    promptTokens += chunk.usage().get().promptTokens();
                    completionTokens += chunk.usage().get().completionTokens();
                }
            }
        }
        Completion legacy = client.completions().create(CompletionCreateParams.builder()
                .model(CompletionCreateParams.Model.of(version)).prompt("A cat").maxTokens(12).temperature(0.0).build());
        promptTokens += legacy.usage().orElseThrow().promptTokens();
        completionTokens += legacy.usage().orElseThrow().completionTokens();

        PrometheusText metrics = PrometheusText.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
        String[] labels = {"route", version, "version", version};
        assertEquals(4, metrics.value("anvil_gateway_requests_total", "route", version, "version", version,
                "outcome", "answered"));
        assertEquals(4, metrics.value("anvil_gateway_request_duration_seconds_count", labels));
        assertTrue(metrics.value("anvil_gateway_request_duration_seconds_sum", labels) > 0);
        assertTrue(metrics.has("anvil_gateway_request_duration_seconds_bucket", "route", version, "le", "+Inf"),
                "a Prometheus histogram, for histogram_quantile");
        assertEquals(promptTokens, metrics.value("anvil_gateway_tokens_total", "version", version, "kind", "prompt"));
        assertEquals(completionTokens, metrics.value("anvil_gateway_tokens_total", "version", version,
                "kind", "completion"));
        double firstTokens = metrics.value("anvil_gateway_time_to_first_token_seconds_count", labels);
        assertTrue(firstTokens >= 1 && firstTokens <= 4, "one per answer with text: " + firstTokens);
        assertTrue(metrics.value("anvil_gateway_time_to_first_token_seconds_sum", labels)
                <= metrics.value("anvil_gateway_request_duration_seconds_sum", labels), "the first token comes first");
        assertTrue(metrics.value("anvil_gateway_inter_token_latency_seconds_count", labels) >= 1);
        assertEquals(0, metrics.value("anvil_gateway_queue_depth", "model", GatewayDataDir.MODEL), "all answered");
        assertTrue(metrics.value("anvil_gateway_engine_generated_tokens_total", "model", GatewayDataDir.MODEL)
                >= completionTokens);
        assertTrue(metrics.has("anvil_kafka_consumed_total", "topic", "training.events", "outcome", "handled"),
                "the Kafka consumers' counts from service-kit");
    }
}
