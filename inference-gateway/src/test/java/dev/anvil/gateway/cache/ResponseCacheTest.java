package dev.anvil.gateway.cache;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.anvil.events.testing.PrometheusText;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The response cache on the real gateway: a deterministic request asked again is answered from the cache, whole or
 * streamed, with the same text and usage and without the engine generating a token; another key, a sampled request
 * without a seed, or {@code Cache-Control: no-cache} is not.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
@TestProfile(ResponseCacheTest.CacheOn.class)
class ResponseCacheTest {
    static final String MODEL = GatewayDataDir.MODEL;

    /** The cache as it is by default (the test profile turns it off for every other test). */
    public static class CacheOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("anvil.gateway.cache.enabled", "true");
        }
    }

    @TestHTTPResource("/v1")
    URL v1;

    @BeforeEach
    void ready() {
        GatewayClients.awaitReady();
    }

    static String newKey() {
        return admin().contentType("application/json").body(Map.of("name", "cache")).post("/admin/keys").then()
                .statusCode(201).extract().path("key");
    }

    static Response chat(String key, Map<String, Object> extra, String... headers) {
        Map<String, Object> body = new HashMap<>(Map.of("model", MODEL, "max_tokens", 12,
                "messages", List.of(Map.of("role", "user", "content", "Tell me about the sea " + UUID.randomUUID()))));
        body.putAll(extra);
        var request = given().header("Authorization", "Bearer " + key).contentType("application/json");
        for (int i = 0; i < headers.length; i += 2) request = request.header(headers[i], headers[i + 1]);
        return request.body(body).post("/v1/chat/completions");
    }

    static double generatedTokens() {
        return PrometheusText.parse(given().get("/q/metrics").asString())
                .value("anvil_gateway_engine_generated_tokens_total", "model", MODEL);
    }

    static double cacheGets(String result) {
        return PrometheusText.parse(given().get("/q/metrics").asString())
                .value("cache_gets_total", "cache", ResponseCache.NAME, "result", result);
    }

    @Test
    void aDeterministicRequestAskedAgainIsAnsweredFromTheCacheWholeOrStreamed() {
        String key = newKey();
        String prompt = "Tell me about the sea " + UUID.randomUUID();
        Map<String, Object> greedy = Map.of("temperature", 0, "messages", List.of(Map.of("role", "user", "content", prompt)));
        Response first = chat(key, greedy);
        first.then().statusCode(200).header("x-anvil-cache", "miss");
        double tokens = generatedTokens();
        double hits = cacheGets("hit");

        Response again = chat(key, greedy);
        again.then().statusCode(200).header("x-anvil-cache", "hit");
        assertEquals(first.jsonPath().getString("choices[0].message.content"),
                again.jsonPath().getString("choices[0].message.content"));
        assertEquals(first.jsonPath().getMap("usage"), again.jsonPath().getMap("usage"));
        assertEquals(first.jsonPath().getString("choices[0].finish_reason"),
                again.jsonPath().getString("choices[0].finish_reason"));

        Map<String, Object> streamed = new HashMap<>(greedy);
        streamed.put("stream", true);
        Response stream = chat(key, streamed);
        stream.then().statusCode(200).header("x-anvil-cache", "hit");
        StringBuilder text = new StringBuilder();
        for (String line : stream.asString().split("\n")) {
            if (!line.startsWith("data: {")) continue;
            var chunk = JsonPath.from(line.substring(6));
            String content = chunk.getString("choices[0].delta.content");
            if (content != null) text.append(content);
        }
        assertEquals(first.jsonPath().getString("choices[0].message.content"), text.toString());

        assertEquals(tokens, generatedTokens(), "answered from the cache: the engine generated nothing");
        assertEquals(hits + 2, cacheGets("hit"));
    }

    @Test
    void theOfficialSdkGetsTheSameAnswerTwice() {
        OpenAIClient client = GatewayClients.sdk(v1, newKey());
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage("A seeded story " + UUID.randomUUID()).maxCompletionTokens(10).temperature(0.9).seed(7L)
                .build();
        HttpResponseFor<ChatCompletion> first = client.chat().completions().withRawResponse().create(params);
        HttpResponseFor<ChatCompletion> second = client.chat().completions().withRawResponse().create(params);
        assertEquals(List.of("miss"), first.headers().values("x-anvil-cache"));
        assertEquals(List.of("hit"), second.headers().values("x-anvil-cache"), "a seed makes a sampled answer repeatable");
        assertEquals(first.parse().choices().get(0).message().content(), second.parse().choices().get(0).message().content());
    }

    @Test
    void anotherKeyASampledRequestOrNoCacheIsNeverAnsweredFromTheCache() {
        String key = newKey();
        String prompt = "Tell me about the hills " + UUID.randomUUID();
        Map<String, Object> greedy = Map.of("temperature", 0, "messages", List.of(Map.of("role", "user", "content", prompt)));
        chat(key, greedy).then().statusCode(200).header("x-anvil-cache", "miss");
        chat(newKey(), greedy).then().statusCode(200).header("x-anvil-cache", "miss"); // never shared across keys
        chat(key, greedy, "Cache-Control", "no-cache").then().statusCode(200);
        assertNull(chat(key, greedy, "Cache-Control", "no-cache").header("x-anvil-cache"), "asked for no cache");
        Map<String, Object> sampled = Map.of("temperature", 0.9, "messages", List.of(Map.of("role", "user", "content", prompt)));
        chat(key, sampled).then().statusCode(200);
        assertNull(chat(key, sampled).header("x-anvil-cache"), "sampled without a seed: not cacheable");
        chat(key, greedy).then().statusCode(200).header("x-anvil-cache", "hit");
    }
}
