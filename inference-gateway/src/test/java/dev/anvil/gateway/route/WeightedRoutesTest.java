package dev.anvil.gateway.route;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.model.TrafficSplitChanged;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static dev.anvil.gateway.testing.GatewayClients.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes with weighted variants on the real gateway: the split by weight with sticky users, a growing last variant
 * that keeps its users, an admin key's own choice of version (through the OpenAI SDK), refusals naming the field,
 * every change on model.events (the in-process broker) and in the route's history, and a change written to the
 * database by another replica served at once.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class WeightedRoutesTest {
    static final String MODEL = GatewayDataDir.MODEL;
    static final int USERS = 100;

    @TestHTTPResource("/v1")
    URL v1;

    String suffix;
    String stable;
    String canary;
    String route;

    @BeforeEach
    void versions() {
        GatewayClients.awaitReady();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        stable = register("stable-" + suffix);
        canary = register("canary-" + suffix);
        route = "assistant-" + suffix;
    }

    /** The golden adapter registered as a version of its own: every variant answers, the header tells them apart. */
    static String register(String id) {
        return GatewayClients.goldenVersion(id);
    }

    static ValidatableResponse split(String route, Object body) {
        return admin().contentType("application/json").body(body).put("/admin/routes/" + route).then();
    }

    static Map<String, Object> variants(String reason, Object... versionsAndWeights) {
        List<Map<String, Object>> variants = new ArrayList<>();
        for (int i = 0; i < versionsAndWeights.length; i += 2) {
            variants.add(Map.of("version", versionsAndWeights[i], "weight", versionsAndWeights[i + 1]));
        }
        return reason == null ? Map.of("variants", variants) : Map.of("variants", variants, "reason", reason);
    }

    /** The version that answers {@code user} on {@code route}: a one-token completion, read from its header. */
    static String servedTo(String route, String user) {
        String userField = user == null ? "" : ",\"user\":\"" + user + "\"";
        return api().contentType("application/json").body("{\"model\":\"" + route + "\",\"prompt\":\"Hi\","
                        + "\"max_tokens\":1" + userField + "}").post("/v1/completions").then().statusCode(200)
                .extract().header("x-anvil-model-version");
    }

    static Map<String, String> assignments(String route) {
        Map<String, String> served = new HashMap<>();
        for (int i = 0; i < USERS; i++) served.put("user-" + i, servedTo(route, "user-" + i));
        return served;
    }

    @Test
    void aRouteSplitsItsTrafficByWeightAndEachUserKeepsItsVersion() {
        split(route, variants("a/b test", stable, 70, canary, 30)).statusCode(200)
                .body("version", equalTo(stable)).body("variants", hasSize(2))
                .body("variants[1].version", equalTo(canary)).body("variants[1].weight", equalTo(30));
        Map<String, String> first = assignments(route);
        List<Variant> split = List.of(new Variant(stable, 70), new Variant(canary, 30));
        first.forEach((user, version) -> assertEquals(StickyAssignment.pick(split,
                StickyAssignment.bucket(route, "user:" + user)).version, version, user));
        long onCanary = first.values().stream().filter(canary::equals).count();
        // Binomial(100, 0.3): within three standard deviations (4.6 each) of 30.
        assertTrue(onCanary >= 16 && onCanary <= 44, "canary users: " + onCanary);
        assertEquals(first, assignments(route), "a user keeps its version while the weights stay");

        // The canary (the last variant) grows: whoever had it keeps it, and it gains users.
        split(route, variants("canary at 50%", stable, 50, canary, 50)).statusCode(200);
        Map<String, String> grown = assignments(route);
        first.forEach((user, version) -> {
            if (version.equals(canary)) assertEquals(canary, grown.get(user), user + " keeps the canary");
        });
        assertTrue(grown.values().stream().filter(canary::equals).count() > onCanary);

        // Without a user field, the API key is the subject: one key, one version.
        String byKey = servedTo(route, null);
        for (int i = 0; i < 5; i++) assertEquals(byKey, servedTo(route, null));

        admin().get("/admin/routes/" + route).then().statusCode(200).body("history", hasSize(2))
                .body("history[0].type", equalTo("TrafficSplitChanged"))
                .body("history[0].event.reason", equalTo("canary at 50%"))
                .body("history[1].event.reason", equalTo("a/b test"))
                .body("history[1].event.shares." + canary, equalTo(0.3f));
    }

    @Test
    void everyChangeIsATrafficSplitChangedOnModelEvents() {
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.MODEL_EVENTS)) {
            split(route, Map.of("version", stable)).statusCode(200);
            split(route, Map.of("version", stable)).statusCode(200); // the same split again: no change
            split(route, variants("canary enters", stable, 90, canary, 10)).statusCode(200);
            admin().delete("/admin/routes/" + route).then().statusCode(204);

            List<TrafficSplitChanged> changes = changesOf(events, route, 3);
            assertEquals(new TrafficSplitChanged(route, Map.of(stable, 1.0), "set by the admin API"), changes.get(0));
            assertEquals(new TrafficSplitChanged(route, Map.of(stable, 0.9, canary, 0.1), "canary enters"),
                    changes.get(1));
            assertEquals(new TrafficSplitChanged(route, Map.of(), "route deleted"), changes.get(2));
        }
    }

    /** Polls until {@code count} changes of {@code route} arrived, then a little longer to see no more come. */
    static List<TrafficSplitChanged> changesOf(KafkaConsumer<String, String> consumer, String route, int count) {
        List<TrafficSplitChanged> changes = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long settle = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, settle)) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (!route.equals(r.key())) continue;
                Envelope envelope = EventCodec.fromJson(r.value());
                changes.add((TrafficSplitChanged) envelope.data());
            }
            if (changes.size() >= count && settle == Long.MAX_VALUE) settle = System.nanoTime() + 1_500_000_000L;
        }
        assertEquals(count, changes.size(), "changes of " + route + ": " + changes);
        return changes;
    }

    @Test
    void anAdminKeyMayChooseTheVersionAndNoOtherKeyMay() {
        split(route, variants(null, stable, 100, canary, 0)).statusCode(200);
        String adminKey = admin().contentType("application/json").body("{\"name\":\"ops\",\"admin\":true}")
                .post("/admin/keys").then().statusCode(201).body("admin", equalTo(true)).extract().path("key");
        ChatCompletionCreateParams forced = ChatCompletionCreateParams.builder().model(route).addUserMessage("Hi")
                .maxCompletionTokens(2).putAdditionalHeader("x-anvil-model-version", canary).build();

        OpenAIClient ops = GatewayClients.sdk(v1, adminKey);
        HttpResponseFor<ChatCompletion> answer = ops.chat().completions().withRawResponse().create(forced);
        assertEquals(List.of(canary), answer.headers().values("x-anvil-model-version"), "a canary without traffic");
        assertEquals(1, answer.parse().choices().size());

        PermissionDeniedException denied = assertThrows(PermissionDeniedException.class,
                () -> GatewayClients.sdk(v1).chat().completions().create(forced));
        assertEquals(403, denied.statusCode());
        assertTrue(denied.getMessage().contains("admin API key"), denied.getMessage());

        given().header("x-anvil-model-version", "nope").header("Authorization", "Bearer " + adminKey)
                .contentType("application/json").body("{\"model\":\"" + route + "\",\"prompt\":\"Hi\",\"max_tokens\":1}")
                .post("/v1/completions").then().statusCode(400)
                .body("error.message", containsString("'nope' is not a version of model '" + route + "'"));
    }

    @Test
    void aSplitThatCannotBeIsRefusedNamingWhy() {
        split(route, variants(null, stable, 70, canary, 20)).statusCode(400)
                .body("detail", containsString("must sum to 100 (percent), got 90"));
        split(route, variants(null, stable, 101, canary, -1)).statusCode(400)
                .body("detail", containsString("variants[0].weight must be 0..100"));
        split(route, variants(null, stable, 50, stable, 50)).statusCode(400)
                .body("detail", containsString("variants[1].version '" + stable + "' is listed twice"));
        split(route, variants(null, stable, 50, "ghost", 50)).statusCode(400)
                .body("detail", containsString("variants[1].version 'ghost' is not registered"));
        split(route, Map.of("version", stable, "variants", List.of())).statusCode(400)
                .body("detail", containsString("not both"));
        split(route, Map.of("variants", List.of())).statusCode(400).body("detail", containsString("at least one"));
        split(route, Map.of("reason", "nothing else")).statusCode(400)
                .body("detail", containsString("version or variants is required"));
        admin().get("/admin/routes/" + route).then().statusCode(404);
        // A version that a route serves, even at weight 0, stays until the route lets it go.
        split(route, variants(null, stable, 100, canary, 0)).statusCode(200);
        admin().delete("/admin/versions/" + canary).then().statusCode(409).body("detail", containsString(route));
    }

    @Test
    void aSplitWrittenByAnotherReplicaIsServedAtOnce() {
        split(route, Map.of("version", stable)).statusCode(200);
        assertEquals(stable, servedTo(route, "someone"));
        // Another replica's change lands in the shared database; this one keeps no copy of the table.
        QuarkusTransaction.requiringNew().run(() -> {
            Route r = Route.findById(route);
            r.variants.clear();
            r.variants.add(new Variant(canary, 100));
        });
        assertEquals(canary, servedTo(route, "someone"));
        admin().get("/admin/routes").then().body("find { it.name == '" + route + "' }.version", equalTo(canary));
    }
}
