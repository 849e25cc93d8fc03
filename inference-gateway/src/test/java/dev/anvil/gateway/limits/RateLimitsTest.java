package dev.anvil.gateway.limits;

import com.openai.client.OpenAIClient;
import com.openai.errors.RateLimitException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.anvil.gateway.access.Caller;
import dev.anvil.gateway.access.KeyLimits;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import dev.anvil.events.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits and budgets on the real gateway and its database (H2 here, PostgreSQL in the test command): requests
 * running at once never spend more than a limit together, refusals are OpenAI's 429 with its headers, and budgets
 * start afresh with their period.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class RateLimitsTest {
    static final String MODEL = GatewayDataDir.MODEL;

    @TestHTTPResource("/v1")
    URL v1;
    @Inject
    Admission admission;

    @BeforeEach
    void ready() {
        GatewayClients.awaitReady();
    }

    /** A new API key with these limits (null fields: none). */
    static String keyWith(Map<String, Object> limits) {
        return admin().contentType("application/json").body(Map.of("name", "limited", "limits", limits))
                .post("/admin/keys").then().statusCode(201).body("limits", equalTo(limits)).extract().path("key");
    }

    static Response complete(String key, String model, int maxTokens) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(Map.of("model", model, "prompt", "Once upon a time", "max_tokens", maxTokens, "temperature", 0))
                .post("/v1/completions");
    }

    /**
     * The tokens the limit allowed by {@code end}: its capacity, and what refilled since {@code start} (a minute's
     * limit refills evenly over the minute).
     */
    static long allowance(long perMinute, long startNanos) {
        double minutes = (System.nanoTime() - startNanos) / 60e9;
        return perMinute + (long) Math.ceil(minutes * perMinute);
    }

    @Test
    void fiveConcurrentRequestsNeverSpendMoreThanTheTokensPerMinute() throws Exception {
        String key = keyWith(Map.of("tokensPerMinute", 100));
        OpenAIClient client = GatewayClients.sdk(v1, key);
        // Each reserves its prompt and 30 completion tokens: all 5 would take more than 150.
        CompletionCreateParams params = CompletionCreateParams.builder().model(MODEL).prompt("Once upon a time")
                .maxTokens(30).temperature(0.0).build();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        long started = System.nanoTime();
        List<Future<Object>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return client.completions().create(params);
                    } catch (RateLimitException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            long spent = 0;
            int refused = 0;
            for (Future<Object> r : results) {
                Object result = r.get();
                if (result instanceof Completion c) {
                    spent += c.usage().orElseThrow().totalTokens();
                } else {
                    RateLimitException e = (RateLimitException) result;
                    assertEquals("rate_limit_exceeded", e.code().orElse(null));
                    assertEquals("tokens", e.type().orElse(null));
                    assertEquals(List.of("100"), e.headers().values("x-ratelimit-limit-tokens"));
                    assertTrue(Integer.parseInt(e.headers().values("Retry-After").get(0)) >= 1);
                    refused++;
                }
            }
            long allowed = allowance(100, started);
            assertTrue(spent <= allowed, spent + " tokens spent, the limit allowed " + allowed);
            assertTrue(refused >= 1, "5 requests of 34 tokens cannot all pass a limit of 100: none was refused");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestsPerMinuteLimitAnswersOpenAis429AndHeaders() {
        String key = keyWith(Map.of("requestsPerMinute", 2));
        complete(key, MODEL, 1).then().statusCode(200).header("x-ratelimit-limit-requests", "2")
                .header("x-ratelimit-remaining-requests", "1");
        complete(key, MODEL, 1).then().statusCode(200).header("x-ratelimit-remaining-requests", "0");
        Response refused = complete(key, MODEL, 1);
        refused.then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.type", equalTo("requests"))
                .body("error.message", containsString("requests per min (RPM): Limit 2"))
                .header("x-ratelimit-remaining-requests", "0");
        // 2 a minute: one comes back every 30 s, and the answer says when.
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
        assertTrue(Long.parseLong(refused.header("retry-after-ms")) <= 30_000);
        assertEquals(null, refused.header("x-ratelimit-limit-tokens"), "no token limit: no token headers");
        // Asked again at once (answered by this replica without the database): still refused, the wait shorter.
        Response again = complete(key, MODEL, 1);
        again.then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"))
                .header("x-ratelimit-remaining-requests", "0");
        assertTrue(Long.parseLong(again.header("retry-after-ms")) <= Long.parseLong(refused.header("retry-after-ms")));
        assertTrue(PrometheusText.parse(given().get("/q/metrics").asString())
                .value("anvil_gateway_rate_limited_total", "limit", "requests_per_minute") >= 1);
    }

    @Test
    void aStreamedAnswerCarriesTheHeadersToo() {
        String key = keyWith(Map.of("requestsPerMinute", 5, "tokensPerMinute", 1000));
        given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(Map.of("model", MODEL, "messages", List.of(Map.of("role", "user", "content", "Hi")),
                        "max_tokens", 3, "stream", true))
                .post("/v1/chat/completions").then().statusCode(200)
                .header("x-ratelimit-limit-requests", "5").header("x-ratelimit-remaining-requests", "4")
                .header("x-ratelimit-limit-tokens", "1000").body(containsString("data: [DONE]"));
    }

    @Test
    void aRequestThatAloneExceedsTheLimitIsToldSoWithoutRetryAfter() {
        String key = keyWith(Map.of("tokensPerMinute", 40));
        Response refused = complete(key, MODEL, 50);
        refused.then().statusCode(429).body("error.message", containsString("Request too large"))
                .body("error.message", containsString("Limit 40"));
        assertNull(refused.header("Retry-After"), "waiting does not help");
        complete(key, MODEL, 2).then().statusCode(200); // the refusal took nothing
    }

    @Test
    void aRouteLimitAppliesToEachKeyOnThatRouteAlone() {
        // application.properties (%test): the route "limited-route" takes 2 requests a minute from each key.
        String route = GatewayClients.routedGoldenVersion("limited-route");
        String first = keyWith(Map.of());
        String second = keyWith(Map.of());
        complete(first, route, 1).then().statusCode(200);
        complete(first, route, 1).then().statusCode(200);
        complete(first, route, 1).then().statusCode(429)
                .body("error.message", containsString("requests per min (RPM) on model 'limited-route'"));
        complete(first, MODEL, 1).then().statusCode(200); // other routes: only the key's own limits
        complete(second, route, 1).then().statusCode(200); // another key: a bucket of its own
    }

    @Test
    void aKeysLimitsAreChangedThroughTheAdminApi() {
        String key = keyWith(Map.of("requestsPerMinute", 1));
        complete(key, MODEL, 1).then().statusCode(200);
        complete(key, MODEL, 1).then().statusCode(429);
        String id = admin().get("/admin/keys").then().statusCode(200).extract().jsonPath()
                .getString("find { it.prefix == '" + key.substring(0, 13) + "' }.id");
        admin().contentType("application/json").body(Map.of("requestsPerMinute", 5)).put("/admin/keys/" + id + "/limits")
                .then().statusCode(200).body("limits.requestsPerMinute", equalTo(5));
        complete(key, MODEL, 1).then().statusCode(200).header("x-ratelimit-limit-requests", "5");
        admin().contentType("application/json").body(Map.of("tokensPerDay", 0)).put("/admin/keys/" + id + "/limits")
                .then().statusCode(400).body("detail", containsString("limits.tokensPerDay must be at least 1"));
    }

    @Test
    void concurrentAdmissionsTakeExactlyWhatTheLimitHolds() throws Exception {
        Caller caller = new Caller(UUID.randomUUID().toString(), false, new KeyLimits(null, 100L, null, null));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        try {
            List<Callable<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tries.add(() -> {
                    try {
                        admission.admit(caller, MODEL, 4, 6);
                        return true;
                    } catch (RateLimitExceededException e) {
                        return false;
                    }
                });
            }
            long admitted = 0;
            for (Future<Boolean> f : pool.invokeAll(tries)) if (f.get()) admitted++;
            // 10 of 10 tokens fit in 100; another needs 10 more, refilled in 6 s.
            assertTrue(admitted * 10 <= allowance(100, started), admitted + " admitted");
            assertTrue(admitted >= 10, "only " + admitted + " of 20 admitted: the limit holds 10");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unusedTokensComeBackWhenTheRequestEnds() {
        Caller caller = new Caller(UUID.randomUUID().toString(), false, new KeyLimits(null, 50L, null, null));
        Reservation first = admission.admit(caller, MODEL, 10, 30);
        assertEquals("10", first.headers().get("x-ratelimit-remaining-tokens"));
        assertThrows(RateLimitExceededException.class, () -> admission.admit(caller, MODEL, 10, 30));
        first.settle(15); // a short answer: 25 of its 40 tokens back
        first.settle(0); // settled once only
        Reservation second = admission.admit(caller, MODEL, 10, 20);
        assertEquals(5, Long.parseLong(second.headers().get("x-ratelimit-remaining-tokens")), 2);
    }

    @Test
    void budgetsStartAfreshWithTheirDayAndMonth() {
        Caller daily = new Caller(UUID.randomUUID().toString(), false, new KeyLimits(null, null, 50L, null));
        Instant lateOnSunday = Instant.parse("2026-12-06T23:59:00Z");
        admission.admit(daily, MODEL, 10, 30, lateOnSunday);
        RateLimitExceededException spent = assertThrows(RateLimitExceededException.class,
                () -> admission.admit(daily, MODEL, 10, 30, lateOnSunday.plusSeconds(30)));
        assertEquals("insufficient_quota", spent.code());
        assertEquals(Duration.ofSeconds(30), spent.retryAfter().orElseThrow(), "until midnight UTC");
        admission.admit(daily, MODEL, 10, 30, Instant.parse("2026-12-07T00:00:01Z"));

        Caller monthly = new Caller(UUID.randomUUID().toString(), false, new KeyLimits(null, null, null, 100L));
        admission.admit(monthly, MODEL, 10, 50, Instant.parse("2026-12-01T00:00:00Z"));
        assertThrows(RateLimitExceededException.class,
                () -> admission.admit(monthly, MODEL, 10, 50, Instant.parse("2026-12-31T23:00:00Z")));
        admission.admit(monthly, MODEL, 10, 50, Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void aRefusedRequestSpendsNothingFromTheOtherLimits() {
        // The day's budget would refuse it: the minute's tokens it took first are given back.
        Caller caller = new Caller(UUID.randomUUID().toString(), false, new KeyLimits(null, 100L, 30L, null));
        assertThrows(RateLimitExceededException.class, () -> admission.admit(caller, MODEL, 10, 30));
        Reservation admitted = admission.admit(caller, MODEL, 10, 20);
        assertEquals("70", admitted.headers().get("x-ratelimit-remaining-tokens"));
    }
}
