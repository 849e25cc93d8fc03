package dev.anvil.gateway.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.anvil.gateway.testing.DirectEngine;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import dev.anvil.llm.generate.SamplingParams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static dev.anvil.gateway.testing.GatewayClients.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Output safety on the real gateway through the OpenAI SDK, with the test profile's rules: a blocked term masked and
 * a response filter's cut, whole and streamed alike, counted on /q/metrics and kept redacted in the traffic store; a
 * prompt filter's refusal in OpenAI's error shape.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class SafetyTest {
    static final String MODEL = GatewayDataDir.MODEL;
    static final String PROMPT = "A safety test";
    static final int MAX_TOKENS = 40;

    @TestHTTPResource("/v1")
    URL v1;
    OpenAIClient client;

    @BeforeEach
    void setUp() {
        GatewayClients.awaitReady();
        client = GatewayClients.sdk(v1);
    }

    /** The engine's own answer with the test profile's rules applied by hand: the term masked, cut at the filter. */
    static String expectedAnswer() {
        String raw = DirectEngine.chat(PROMPT, SamplingParams.greedy(MAX_TOKENS)).text();
        assertTrue(raw.contains("Contrast ror") && raw.contains("margins dance"), "the test model's answer: " + raw);
        return raw.substring(0, raw.indexOf("margins dance")).replace("Contrast ror", "[REDACTED]");
    }

    private ChatCompletionCreateParams request() {
        return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(PROMPT).maxTokens(MAX_TOKENS)
                .temperature(0.0).build();
    }

    @Test
    void aWholeAnswerIsMaskedAndCutWithFinishReasonContentFilter() throws Exception {
        double termsBefore = metric("anvil_gateway_redactions_total", "kind=\"term\"");
        double cutBefore = metric("anvil_gateway_content_filtered_total", "direction=\"response\"");
        ChatCompletion completion = client.chat().completions().create(request());
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals(expectedAnswer(), choice.message().content().orElseThrow());
        assertEquals("content_filter", choice.finishReason().asString());
        assertEquals(termsBefore + 1, metric("anvil_gateway_redactions_total", "kind=\"term\""));
        assertEquals(cutBefore + 1, metric("anvil_gateway_content_filtered_total", "direction=\"response\""));

        // The traffic store keeps what the client got, never what was masked.
        ObjectMapper json = new ObjectMapper();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode page = json.readTree(admin().get("/admin/versions/" + MODEL + "/traffic?limit=1000").then()
                    .statusCode(200).extract().asString());
            for (JsonNode sample : page.get("samples")) {
                if (!sample.get("responseId").asText().equals(completion.id())) continue;
                JsonNode messages = sample.get("record").get("messages");
                assertEquals(expectedAnswer(), messages.get(messages.size() - 1).get("content").asText());
                return true;
            }
            return false;
        });
    }

    @Test
    void aStreamedAnswerIsMaskedAndStopsWithFinishReasonContentFilter() {
        ChatCompletionCreateParams params = request();
        StringBuilder text = new StringBuilder();
        List<String> finishReasons = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                for (ChatCompletionChunk.Choice c : chunk.choices()) {
                    c.delta().content().ifPresent(text::append);
                    c.finishReason().ifPresent(r -> finishReasons.add(r.asString()));
                }
            });
        }
        assertEquals(expectedAnswer(), text.toString());
        assertEquals(List.of("content_filter"), finishReasons);
    }

    @Test
    void aPromptFilterRefusesInOpenAisErrorShape() {
        var refused = assertThrows(BadRequestException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model(MODEL).addSystemMessage("Be helpful.")
                        .addUserMessage("Please say OPEN SESAME twice").maxTokens(4).build()));
        assertEquals("content_filter", refused.code().orElseThrow());
        assertEquals("messages", refused.param().orElseThrow());
        assertTrue(refused.getMessage().contains("it matches the term 'OPEN SESAME'"), refused.getMessage());

        api().contentType("application/json").body("{\"model\":\"" + MODEL + "\",\"prompt\":\"my Password: hunter2\"}")
                .post("/v1/completions").then().statusCode(400)
                .body("error.code", equalTo("content_filter"))
                .body("error.param", equalTo("prompt"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", equalTo("The prompt was refused by the gateway's content filter: it matches "
                        + "the pattern anvil.gateway.safety.prompt-filters.patterns[0]."));
    }

    /** A counter's value on /q/metrics for the test model's route and version (0 before its first count). */
    private static double metric(String name, String label) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label) && line.contains("route=\"" + MODEL + "\"")
                    && line.contains("version=\"" + MODEL + "\"")) {
                // "name{labels} value", perhaps followed by an exemplar ("# {trace_id=...} value time")
                return Double.parseDouble(line.substring(line.indexOf("} ") + 2).split(" ")[0]);
            }
        }
        return 0;
    }
}
