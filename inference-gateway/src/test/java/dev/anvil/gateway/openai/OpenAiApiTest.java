package dev.anvil.gateway.openai;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import dev.anvil.gateway.testing.DirectEngine;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.anvil.gateway.testing.GatewayClients.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's OpenAI API through the official OpenAI Java SDK, on the real aidreams260K: what it answers equals
 * the engine called directly (same tokenizer, template and sampler, same seed), and its errors come out as the SDK's
 * own exceptions with OpenAI's status, type, param and code.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class OpenAiApiTest {
    static final String MODEL = GatewayDataDir.MODEL;
    /** The engine called directly: the reference for what the gateway must answer. */

    @TestHTTPResource("/v1")
    URL v1;
    OpenAIClient client;

    @BeforeEach
    void setUp() {
        GatewayClients.awaitReady();
        client = GatewayClients.sdk(v1);
    }

    @Test
    void greedyChatEqualsTheEngineCalledDirectly() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage("Tell me about the stars").maxCompletionTokens(24).temperature(0.0).build());
        Generation expected = DirectEngine.chat("Tell me about the stars", SamplingParams.greedy(24));
        assertEquals(1, completion.choices().size());
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals(expected.text(), choice.message().content().orElseThrow());
        assertEquals(0, choice.index());
        assertEquals(expected.finishReason() == dev.anvil.llm.generate.FinishReason.LENGTH ? "length" : "stop",
                choice.finishReason().asString());
        assertEquals(MODEL, completion.model());
        assertTrue(completion.id().startsWith("chatcmpl-"));
        var usage = completion.usage().orElseThrow();
        assertEquals(expected.usage().promptTokens(), usage.promptTokens());
        assertEquals(expected.usage().completionTokens(), usage.completionTokens());
        assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
    }

    @Test
    void seededChoicesAreReproducibleAndEachEqualsTheEngineWithItsSeed() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(MODEL)
                .addSystemMessage("You are a storyteller.").addUserMessage("Once upon a time")
                .maxTokens(20).temperature(0.9).topP(0.95).seed(42).n(2).build();
        ChatCompletion first = client.chat().completions().create(params);
        ChatCompletion again = client.chat().completions().create(params);
        assertEquals(2, first.choices().size());
        int[] prompt = DirectEngine.generator().encodeChat(List.of(ChatMessage.system("You are a storyteller."),
                ChatMessage.user("Once upon a time")));
        for (int i = 0; i < 2; i++) {
            SamplingParams sampled = SamplingParams.defaults().withTemperature(0.9).withTopP(0.95).withMaxTokens(20)
                    .withSeed(42 + i);
            String expected = DirectEngine.generator().generate(new GenerationRequest(prompt, sampled)).text();
            assertEquals(i, first.choices().get(i).index());
            assertEquals(expected, first.choices().get(i).message().content().orElseThrow(), "choice " + i);
            assertEquals(expected, again.choices().get(i).message().content().orElseThrow(), "choice " + i + " again");
        }
        assertTrue(!first.choices().get(0).message().content().equals(first.choices().get(1).message().content()),
                "the two choices differ");
    }

    @Test
    void stopStringsCutTheTextAsTheEngineDoes() {
        String prompt = "The little dragon";
        Generation unstopped = DirectEngine.chat(prompt, SamplingParams.greedy(40));
        // Stop at a piece of the text the model really writes, so the stop is sure to happen.
        String stop = unstopped.text().substring(unstopped.text().length() / 2).trim().substring(0, 2);
        Generation expected = DirectEngine.chat(prompt, SamplingParams.greedy(40).withStop(List.of(stop)));
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage(prompt).maxTokens(40).temperature(0.0).stop(stop).build());
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals(expected.text(), choice.message().content().orElseThrow());
        assertTrue(!choice.message().content().orElseThrow().contains(stop));
        assertEquals("stop", choice.finishReason().asString());
    }

    @Test
    void presenceAndFrequencyPenaltiesAreTheEngines() {
        ChatCompletion penalized = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage("The stars").maxTokens(40).temperature(0.0).frequencyPenalty(2.0)
                .presencePenalty(0.5).build());
        Generation expected = DirectEngine.chat("The stars", SamplingParams.greedy(40).withFrequencyPenalty(2.0)
                .withPresencePenalty(0.5));
        assertEquals(expected.text(), penalized.choices().get(0).message().content().orElseThrow());
        assertTrue(!expected.text().equals(DirectEngine.chat("The stars", SamplingParams.greedy(40)).text()),
                "the penalties change the text");
        BadRequestException tooMuch = assertThrows(BadRequestException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").presencePenalty(2.5).build()));
        assertEquals("presence_penalty", tooMuch.param().orElseThrow());
    }

    @Test
    void toolsAndToolCallsAreRenderedByATemplateThatReadsThem() {
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
        String messages = "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{"
                + "\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]";
        Response answer = api().contentType("application/json")
                .body("{\"model\":\"" + GatewayDataDir.TOOLS_MODEL + "\",\"messages\":" + messages + ",\"tools\":"
                        + tools + ",\"max_tokens\":10,\"temperature\":0}")
                .post("/v1/chat/completions");
        answer.then().statusCode(200);
        // The prompt the template must have made, rendered here on its own.
        String rendered = ChatTemplate.of(GatewayDataDir.TOOLS_TEMPLATE, "<s>", "</s>").renderMessages(
                List.of(Map.of("role", "user", "content", "Weather in Paris?"),
                        Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of(
                                "function", Map.of("name", "get_weather")))),
                        Map.of("role", "tool", "content", "sunny")),
                true, Map.of("tools", List.of(Map.of("function", Map.of("name", "get_weather")))));
        assertTrue(rendered.contains("Tools: get_weather") && rendered.contains("call get_weather"), rendered);
        int[] prompt = Tokenizer.load(GatewayDataDir.sharedModel()).encode(rendered, false);
        Generation expected = DirectEngine.generator().generate(new GenerationRequest(prompt, SamplingParams.greedy(10)));
        assertEquals(prompt.length, answer.jsonPath().getInt("usage.prompt_tokens"));
        assertEquals(expected.text(), answer.jsonPath().getString("choices[0].message.content"));

        api().contentType("application/json").body("{\"model\":\"" + GatewayDataDir.TOOLS_MODEL + "\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"code\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("tools[0].type"));
    }

    @Test
    void textCompletionsContinueThePromptAsItIs() {
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(MODEL).prompt("The stars").maxTokens(12).temperature(0.0).build());
        Generation expected = DirectEngine.generator().generate(new GenerationRequest(DirectEngine.generator().encode("The stars"), SamplingParams.greedy(12)));
        assertEquals(expected.text(), completion.choices().get(0).text());
        assertEquals(expected.usage().completionTokens(), completion.usage().orElseThrow().completionTokens());
        assertTrue(completion.id().startsWith("cmpl-"));
    }

    @Test
    void theModelListNamesWhatIsServed() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertTrue(ids.contains(MODEL), ids.toString()); // other test classes add routes to the same gateway
        assertEquals(MODEL, client.models().retrieve(MODEL).id());
        NotFoundException missing = assertThrows(NotFoundException.class, () -> client.models().retrieve("gpt-9"));
        assertEquals(404, missing.statusCode());
    }

    @Test
    void errorsSurfaceAsTheSdksExceptions() {
        NotFoundException unknown = assertThrows(NotFoundException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("no-such-model").addUserMessage("hi").build()));
        assertEquals(404, unknown.statusCode());
        assertEquals("model_not_found", unknown.code().orElseThrow());
        assertEquals("model", unknown.param().orElseThrow());

        BadRequestException hot = assertThrows(BadRequestException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").temperature(5.0).build()));
        assertEquals("temperature", hot.param().orElseThrow());
        assertTrue(hot.getMessage().contains("<= 2"), hot.getMessage());

        String longText = "stars ".repeat(300);
        BadRequestException tooLong = assertThrows(BadRequestException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(longText).build()));
        assertEquals("context_length_exceeded", tooLong.code().orElseThrow());
        assertEquals("messages", tooLong.param().orElseThrow());
        int promptTokens = DirectEngine.generator().encodeChat(List.of(ChatMessage.user(longText))).length;
        assertTrue(tooLong.getMessage().contains("maximum context length is 128 tokens")
                && tooLong.getMessage().contains(promptTokens + " tokens"), tooLong.getMessage());

        BadRequestException overContext = assertThrows(BadRequestException.class, () -> client.chat().completions()
                .create(ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").maxTokens(200).build()));
        assertEquals("context_length_exceeded", overContext.code().orElseThrow());
        assertTrue(overContext.getMessage().contains("200 in the completion"), overContext.getMessage());
    }

    @Test
    void malformedRequestsGetOpenAisErrorShapeNamingTheParameter() {
        api().contentType("application/json").body("{\"model\":").post("/v1/chat/completions").then()
                .statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("line 1"));
        api().contentType("application/json")
                .body("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.param", equalTo("temperature"))
                .body("error.message", containsString("expected a number, but got a string"));
        api().contentType("application/json")
                .body("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("messages[0].role"));
        api().contentType("application/json")
                .body("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("messages[0].content[0].type"));
        api().contentType("application/json")
                .body("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("tools"));
        api().contentType("application/json").body("{\"model\":\"" + MODEL + "\"}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("messages"));
        api().contentType("application/json").body("{\"model\":\"" + MODEL + "\",\"prompt\":\"x\",\"max_tokens\":0}")
                .post("/v1/completions").then().statusCode(400).body("error.param", equalTo("max_tokens"));
        api().get("/v1/nothing-here").then().statusCode(404).body("error.type", equalTo("not_found_error"));
        api().header("Content-Type", ";;;/==").body("{}".getBytes()).post("/v1/chat/completions").then().statusCode(400)
                .body("error.message", containsString("Content-Type"));
        api().contentType("application/json").body("x".repeat(1_100_000)).post("/v1/chat/completions").then()
                .statusCode(413).body("error.code", equalTo("request_too_large"))
                .body("error.message", containsString("anvil.gateway.limits.max-request-bytes"));
    }

    @Test
    void servedResponsesNameTheirVersionAndUnknownFieldsAreIgnored() {
        api().contentType("application/json")
                .body("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                        + "\"text\":\"hi\"}]}],\"max_tokens\":3,\"temperature\":0,\"some_future_field\":{\"x\":1}}")
                .post("/v1/chat/completions").then().statusCode(200)
                .header(Served.VERSION_HEADER, equalTo(MODEL))
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].logprobs", nullValue())
                .body("usage.completion_tokens", equalTo(3));
    }

    @Test
    void aFullQueueAnswers429AtOnceWithRetryAfter() throws Exception {
        // The test profile queues 4 requests per model: of many at once, those beyond it are refused, not held.
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                statuses.add(pool.submit(() -> {
                    try {
                        client.completions().create(CompletionCreateParams.builder().model(MODEL).prompt("The stars")
                                .maxTokens(100).temperature(0.0).build());
                        return 200;
                    } catch (RateLimitException e) {
                        // Told apart from a rate limit (rate_limit_exceeded): the gateway, not the key, is full.
                        assertEquals("engine_overloaded", e.code().orElse(null));
                        assertEquals(List.of("1"), e.headers().values("Retry-After"));
                        return e.statusCode();
                    } catch (OpenAIServiceException e) {
                        return e.statusCode();
                    }
                }));
            }
            int ok = 0, limited = 0;
            for (Future<Integer> s : statuses) {
                int status = s.get();
                if (status == 200) ok++;
                else if (status == 429) limited++;
                else throw new AssertionError("unexpected status " + status);
            }
            assertTrue(ok >= 1 && limited >= 1, ok + " served, " + limited + " refused");
        } finally {
            pool.shutdownNow();
        }
        given().get("/q/health/ready").then().statusCode(200); // still ready: refusing is not failing
    }
}
