package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import dev.anvil.gateway.engine.Engines;
import dev.anvil.gateway.testing.DirectEngine;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.generate.TokenLogprob;
import dev.anvil.llm.serve.ServingEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.anvil.gateway.testing.GatewayClients.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming through the official OpenAI SDK and as raw server-sent events, logprobs against the engine's own, and
 * cancellation: a client that disconnects stops its generation (the engine counts the request cancelled and stops
 * spending tokens on it).
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class StreamingTest {
    static final String MODEL = GatewayDataDir.MODEL;

    @TestHTTPResource("/v1")
    URL v1;
    @Inject
    Engines engines;
    OpenAIClient client;

    @BeforeEach
    void setUp() {
        GatewayClients.awaitReady();
        client = GatewayClients.sdk(v1);
    }

    @Test
    void streamedChoicesConcatenateToTheEnginesTextAndEndWithUsage() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage("Once upon a time").maxTokens(30).temperature(0.8).seed(7).n(2)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        Map<Long, StringBuilder> texts = new TreeMap<>();
        Map<Long, String> finish = new TreeMap<>();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                for (ChatCompletionChunk.Choice c : chunk.choices()) {
                    c.delta().content().ifPresent(t -> texts.computeIfAbsent(c.index(), i -> new StringBuilder()).append(t));
                    c.finishReason().ifPresent(r -> finish.put(c.index(), r.asString()));
                }
            });
        }
        int completionTokens = 0;
        for (int i = 0; i < 2; i++) {
            Generation expected = DirectEngine.chat("Once upon a time", SamplingParams.defaults().withTemperature(0.8)
                    .withMaxTokens(30).withSeed(7 + i));
            assertEquals(expected.text(), texts.get((long) i).toString(), "choice " + i);
            assertEquals(expected.finishReason().name().equals("LENGTH") ? "length" : "stop", finish.get((long) i));
            completionTokens += expected.usage().completionTokens();
        }
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertTrue(last.choices().isEmpty(), "the usage chunk has no choices");
        assertEquals(completionTokens, last.usage().orElseThrow().completionTokens());
        assertTrue(chunks.subList(0, chunks.size() - 1).stream().allMatch(c -> c.usage().isEmpty()));
        assertTrue(chunks.stream().allMatch(c -> c.id().equals(chunks.get(0).id())), "one id for the whole stream");
    }

    @Test
    void rawServerSentEventsHaveOpenAisFraming() throws Exception {
        String body = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"The stars\"}],"
                + "\"max_tokens\":12,\"temperature\":0,\"stream\":true}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(v1 + "/chat/completions"))
                .header("Authorization", "Bearer " + GatewayClients.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        assertEquals(MODEL, response.headers().firstValue(Served.VERSION_HEADER).orElseThrow());
        String[] events = response.body().split("\n\n");
        assertEquals("data: [DONE]", events[events.length - 1]);
        ObjectMapper json = new ObjectMapper();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < events.length - 1; i++) {
            assertTrue(events[i].startsWith("data: {") && !events[i].contains("\n"), "event " + i + ": " + events[i]);
            JsonNode chunk = json.readTree(events[i].substring("data: ".length()));
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            JsonNode delta = chunk.get("choices").get(0).get("delta");
            if (i == 0) assertEquals("assistant", delta.get("role").asText());
            if (delta.has("content")) text.append(delta.get("content").asText());
        }
        assertEquals(DirectEngine.chat("The stars", SamplingParams.greedy(12)).text(), text.toString());
    }

    @Test
    void chatLogprobsAreTheEnginesLogprobs() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage("The stars").maxTokens(10).temperature(0.0).logprobs(true).topLogprobs(3)
                .build());
        Generation expected = DirectEngine.chat("The stars", SamplingParams.greedy(10).withLogprobs(3));
        List<ChatCompletionTokenLogprob> content = completion.choices().get(0).logprobs().orElseThrow().content()
                .orElseThrow();
        assertEquals(expected.logprobs().size(), content.size());
        for (int i = 0; i < content.size(); i++) {
            TokenLogprob want = expected.logprobs().get(i);
            ChatCompletionTokenLogprob got = content.get(i);
            assertEquals(want.token(), got.token());
            assertEquals(want.logprob(), got.logprob(), 1e-9, "token " + i);
            assertEquals(3, got.topLogprobs().size());
            // Greedy: the chosen token is the most likely one.
            assertEquals(got.token(), got.topLogprobs().get(0).token());
            List<Long> bytes = got.bytes().orElseThrow();
            byte[] wantBytes = want.bytes();
            assertEquals(wantBytes.length, bytes.size());
            for (int b = 0; b < wantBytes.length; b++) assertEquals(wantBytes[b] & 0xff, bytes.get(b).intValue());
        }
    }

    @Test
    void legacyCompletionLogprobsAndStreamedText() {
        api().contentType("application/json")
                .body("{\"model\":\"" + MODEL + "\",\"prompt\":\"The stars\",\"max_tokens\":5,\"temperature\":0,"
                        + "\"logprobs\":2}")
                .post("/v1/completions").then().statusCode(200)
                .body("choices[0].logprobs.tokens.size()", equalTo(5))
                .body("choices[0].logprobs.token_logprobs.size()", equalTo(5))
                .body("choices[0].logprobs.top_logprobs[0].size()", equalTo(2))
                .body("choices[0].logprobs.text_offset[0]", equalTo("The stars".length()));
        api().contentType("application/json").body("{\"model\":\"" + MODEL + "\",\"prompt\":\"x\",\"logprobs\":6}")
                .post("/v1/completions").then().statusCode(400).body("error.param", equalTo("logprobs"));
        api().contentType("application/json").body("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"x\"}],\"top_logprobs\":2}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("top_logprobs"));
        api().contentType("application/json").body("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"x\"}],\"stream_options\":{\"include_usage\":true}}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("stream_options"));
    }

    @Test
    void aStreamingClientThatDisconnectsStopsItsGeneration() throws Exception {
        ServingEngine engine = engines.engine(MODEL).orElseThrow();
        long cancelledBefore = engine.cancelledRequests();
        long tokensBefore = engine.generatedTokens();
        int n = 8, maxTokens = 110;
        try (Socket socket = rawRequest("{\"model\":\"" + MODEL + "\",\"prompt\":\"The\",\"max_tokens\":" + maxTokens
                + ",\"temperature\":1,\"n\":" + n + ",\"stream\":true}")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: {")) {
                // headers, then the first event
            }
            assertTrue(line != null, "a first event arrives");
            socket.setSoLinger(true, 0); // close with a reset, as a killed client does
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.cancelledRequests() == cancelledBefore + 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.waiting() == 0);
        long spent = engine.generatedTokens() - tokensBefore;
        assertTrue(spent < (long) n * maxTokens, "tokens generated after the client left: " + spent + " of "
                + n * maxTokens);
    }

    @Test
    void aWaitingClientThatDisconnectsStopsItsGeneration() throws Exception {
        ServingEngine engine = engines.engine(MODEL).orElseThrow();
        long cancelledBefore = engine.cancelledRequests();
        long tokensBefore = engine.generatedTokens();
        int n = 8, maxTokens = 110;
        try (Socket socket = rawRequest("{\"model\":\"" + MODEL + "\",\"prompt\":\"The\",\"max_tokens\":" + maxTokens
                + ",\"temperature\":1,\"n\":" + n + "}")) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> engine.generatedTokens() > tokensBefore);
            socket.setSoLinger(true, 0);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.cancelledRequests() == cancelledBefore + 1);
        long spent = engine.generatedTokens() - tokensBefore;
        assertTrue(spent < (long) n * maxTokens, "tokens generated: " + spent + " of " + n * maxTokens);
        assertNotEquals(0, spent);
    }

    private Socket rawRequest(String body) throws Exception {
        Socket socket = new Socket(v1.getHost(), v1.getPort());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: " + v1.getHost() + "\r\nAuthorization: Bearer "
                + GatewayClients.apiKey() + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }
}
