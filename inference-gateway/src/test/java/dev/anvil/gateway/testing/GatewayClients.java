package dev.anvil.gateway.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.restassured.specification.RequestSpecification;

import java.net.URL;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** How the gateway's tests call it: the official OpenAI SDK, and raw HTTP (rest-assured) for what the SDK hides. */
public final class GatewayClients {
    /** The key every test call presents. */
    public static final String API_KEY = "sk-anvil-test";

    private GatewayClients() {
    }

    /** Waits until every base model has loaded (readiness UP). */
    public static void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    /** The SDK pointed at the gateway; no retries, so that a test sees every status as it came. */
    public static OpenAIClient sdk(URL v1) {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(API_KEY).maxRetries(0).build();
    }

    /** A raw request to {@code /v1}, as a client with a key sends it. */
    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + API_KEY);
    }
}
