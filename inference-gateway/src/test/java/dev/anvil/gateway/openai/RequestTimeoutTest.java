package dev.anvil.gateway.openai;

import dev.anvil.gateway.engine.Engines;
import dev.anvil.gateway.live.LiveMetrics;
import dev.anvil.gateway.live.Window;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.anvil.gateway.testing.GatewayClients.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A request that runs past anvil.gateway.request-timeout ends with a clear error, and the engine stops on it; it
 * counts as an error of its version in the live metrics.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
@TestProfile(RequestTimeoutTest.OneMillisecond.class)
class RequestTimeoutTest {

    /** No generation of this length fits in a millisecond. */
    public static class OneMillisecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("anvil.gateway.request-timeout", "PT0.001S");
        }
    }

    static final String BODY = "{\"model\":\"" + GatewayDataDir.MODEL + "\",\"prompt\":\"The\",\"max_tokens\":100,"
            + "\"n\":8%s}";

    @Inject
    Engines engines;
    @Inject
    LiveMetrics live;

    @Test
    void aWholeAnswerPastTheLimitIs504NamingIt() {
        GatewayClients.awaitReady();
        long cancelled = engines.engine(GatewayDataDir.MODEL).orElseThrow().cancelledRequests();
        api().contentType("application/json").body(BODY.formatted("")).post("/v1/completions").then()
                .statusCode(504).body("error.code", equalTo("request_timeout"))
                .body("error.message", containsString("anvil.gateway.request-timeout"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engines.engine(GatewayDataDir.MODEL).orElseThrow().cancelledRequests() == cancelled + 1);
    }

    @Test
    void aStreamPastTheLimitEndsWithAnErrorEvent() {
        GatewayClients.awaitReady();
        api().contentType("application/json").body(BODY.formatted(",\"stream\":true")).post("/v1/completions").then()
                .statusCode(200)
                .body(containsString("data: {\"error\":{\"message\":\"The request ran past the gateway's limit"))
                .body(containsString("\"code\":\"request_timeout\""))
                .body(endsWith("data: [DONE]\n\n"));
    }

    @Test
    void requestsPastTheLimitCountAsErrorsOfTheirVersion() {
        GatewayClients.awaitReady();
        // This gateway (a profile of its own) serves only this class, one test at a time: the counts are exact.
        live.flush();
        Window before = live.since(GatewayDataDir.MODEL, Instant.EPOCH);
        api().contentType("application/json").body(BODY.formatted("")).post("/v1/completions").then().statusCode(504);
        api().contentType("application/json").body(BODY.formatted(",\"stream\":true")).post("/v1/completions").then()
                .statusCode(200).body(containsString("request_timeout"));
        live.flush();
        Window after = live.since(GatewayDataDir.MODEL, Instant.EPOCH);
        assertEquals(2, after.requests() - before.requests(), "a whole answer and a stream");
        assertEquals(2, after.errors() - before.errors(), "both past the limit: errors");
    }
}
