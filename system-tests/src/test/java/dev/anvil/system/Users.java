package dev.anvil.system;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * The gateway's users: each question is asked by a new user (sticky A/B variants hash the user, so the canary's
 * share of users is its share of requests) through the official OpenAI Java SDK, greedy and short; answers can be
 * rated with {@code POST /v1/feedback}. Every answer is kept, so a test can say which versions served the route.
 */
final class Users {
    record Answer(String id, String question, String content, String version) {
    }

    private final OpenAIClient client;
    private final String gateway;
    private final String key;
    private final List<Answer> answers = new ArrayList<>();
    private int users;

    Users(String gateway, String key) {
        this.gateway = gateway;
        this.key = key;
        // Retries as the SDK's users get them by default (a 503 while a version's model loads on first use), a few more.
        this.client = OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key).maxRetries(5).build();
    }

    /** One chat completion on {@code route}; an answer other than 200 fails the test (the SDK throws). */
    Answer ask(String route, String question) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(route)
                .addUserMessage(question).maxCompletionTokens(40).temperature(0.0)
                .putAdditionalBodyProperty("user", JsonValue.from("user-" + ++users)).build();
        HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse().create(params);
        ChatCompletion completion = response.parse();
        Answer answer = new Answer(completion.id(), question,
                completion.choices().get(0).message().content().orElse(""),
                response.headers().values("x-anvil-model-version").get(0));
        answers.add(answer);
        return answer;
    }

    /** Each question once, in order. */
    void askAll(String route, List<String> questions) {
        for (String question : questions) ask(route, question);
    }

    /** Rates an answer up (1) or down (-1), with a correction or none. */
    void rate(Answer answer, int rating, String correction) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("id", answer.id(), "rating", rating));
        if (correction != null) body.put("correction", correction);
        given().baseUri(gateway).header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                .post("/v1/feedback").then().statusCode(201);
    }

    /** Every answer so far, oldest first. */
    List<Answer> answers() {
        return List.copyOf(answers);
    }
}
