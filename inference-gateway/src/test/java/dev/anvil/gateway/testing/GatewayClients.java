package dev.anvil.gateway.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * How the gateway's tests call it: the official OpenAI SDK, and raw HTTP (rest-assured) for what the SDK hides,
 * both with a real API key minted through the admin API once per gateway under test; {@link #admin()} with the test
 * profile's admin key.
 */
public final class GatewayClients {
    private static int keyPort = -1;
    private static String key;

    private GatewayClients() {
    }

    /** Waits until every base model has loaded (readiness UP). */
    public static void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    /**
     * The API key every test call presents: created by POST /admin/keys the first time, again only when another
     * gateway (another port) runs.
     */
    public static synchronized String apiKey() {
        if (key == null || keyPort != RestAssured.port) {
            key = admin().contentType("application/json").body("{\"name\":\"tests\"}").post("/admin/keys")
                    .then().statusCode(201).extract().path("key");
            keyPort = RestAssured.port;
        }
        return key;
    }

    /** The admin key of the test profile ({@code %test.anvil.gateway.admin-key}). */
    public static String adminKey() {
        return ConfigProvider.getConfig().getValue("anvil.gateway.admin-key", String.class);
    }

    /** The SDK pointed at the gateway; no retries, so that a test sees every status as it came. */
    public static OpenAIClient sdk(URL v1) {
        return sdk(v1, apiKey());
    }

    /** The SDK with a key of the test's own (e.g. one it revokes). */
    public static OpenAIClient sdk(URL v1, String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(apiKey).maxRetries(0).build();
    }

    /** A raw request to {@code /v1}, as a client with a key sends it. */
    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + apiKey());
    }

    /** The golden adapter registered through the admin API as version {@code id}: a version of a test's own. */
    public static String goldenVersion(String id) {
        GatewayDataDir.linkGoldenAdapter("adapters/" + id);
        admin().contentType("application/json").body(Map.of("id", id, "baseModel", GatewayDataDir.MODEL,
                "adapterPath", "adapters/" + id)).post("/admin/versions").then().statusCode(201);
        return id;
    }

    /** {@link #goldenVersion} under a route of the same name: counts and samples nobody else's tests touch. */
    public static String routedGoldenVersion(String id) {
        goldenVersion(id);
        admin().contentType("application/json").body(Map.of("version", id)).put("/admin/routes/" + id)
                .then().statusCode(200);
        return id;
    }

    /** A raw request to {@code /admin}, with the admin key. */
    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminKey());
    }
}
