package dev.anvil.gateway.admin;

import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API on the real gateway: its own key, versions registered from paths confined to the data directory or
 * from a run's files, routes, and API keys (shown once, listed without secrets, refused at once once revoked).
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class AdminApiTest {
    static final String MODEL = GatewayDataDir.MODEL;

    @TestHTTPResource("/v1")
    URL v1;

    @BeforeEach
    void ready() {
        GatewayClients.awaitReady();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Response register(Map<String, String> body) {
        return admin().contentType("application/json").body(body).post("/admin/versions");
    }

    @Test
    void theAdminApiAnswersOnlyToItsKey() {
        given().get("/admin/versions").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer wrong").get("/admin/versions").then().statusCode(401);
        given().header("Authorization", "Bearer " + GatewayClients.adminKey() + "x").get("/admin/keys").then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + GatewayClients.apiKey()).get("/admin/routes").then()
                .statusCode(401); // an API key is no admin key
        admin().get("/admin/versions").then().statusCode(200);
        // ... nor the admin key an API key
        given().header("Authorization", "Bearer " + GatewayClients.adminKey()).get("/v1/models").then()
                .statusCode(401).body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void aVersionIsRegisteredFromAPathInsideTheDataDirectoryOnly() {
        String dir = "adapters/" + unique("golden");
        GatewayDataDir.linkGoldenAdapter(dir);
        String id = unique("adm");
        register(Map.of("id", id, "baseModel", MODEL, "adapterPath", dir)).then().statusCode(201)
                .header("Location", endsWith("/admin/versions/" + id))
                .body("id", equalTo(id)).body("kind", equalTo("adapter")).body("baseModel", equalTo(MODEL))
                .body("adapterPath", equalTo(dir)).body("jobId", nullValue());
        admin().get("/admin/versions/" + id).then().statusCode(200).body("adapterPath", equalTo(dir));
        admin().get("/admin/versions").then().statusCode(200).body("id", hasItem(id));

        // An absolute path inside the data directory is kept relative; a generated id follows the name rule.
        String absolute = GatewayDataDir.current().resolve(dir).toString();
        String generated = register(Map.of("baseModel", MODEL, "adapterPath", absolute)).then().statusCode(201)
                .body("adapterPath", equalTo(dir)).extract().path("id");
        assertTrue(generated.matches(dev.anvil.events.datadir.DataNames.PATTERN), generated);

        register(Map.of("baseModel", MODEL, "adapterPath", "../" + dir)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("adapterPath leads outside the data directory"));
        register(Map.of("baseModel", MODEL, "adapterPath", "adapters/../../../etc")).then().statusCode(400)
                .body("detail", containsString("adapterPath leads outside"));
        register(Map.of("baseModel", MODEL, "adapterPath", GatewayDataDir.goldenAdapter().toString())).then()
                .statusCode(400).body("detail", containsString("adapterPath leads outside"));
        register(Map.of("modelPath", "/etc")).then().statusCode(400).body("detail", containsString("modelPath"));
        register(Map.of("baseModel", MODEL, "adapterPath", "models")).then().statusCode(400)
                .body("detail", containsString("adapterPath 'models' holds no adapter_config.json"));
        register(Map.of("baseModel", "gpt-9", "adapterPath", dir)).then().statusCode(400)
                .body("detail", containsString("baseModel 'gpt-9' is not a base model"));
        register(Map.of("adapterPath", dir)).then().statusCode(400).body("detail", containsString("baseModel"));
        register(Map.of("id", "../x", "baseModel", MODEL, "adapterPath", dir)).then().statusCode(400)
                .body("detail", startsWith("id '../x' must match"));
        register(Map.of("id", id, "baseModel", MODEL, "adapterPath", dir)).then().statusCode(409)
                .body("detail", containsString(id));
        register(Map.of()).then().statusCode(400).body("detail", containsString("jobId"));
        admin().contentType("application/json").post("/admin/versions").then().statusCode(400);
        admin().get("/admin/versions/nothing-here").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aVersionIsRegisteredFromItsJobsRunOnceAndOnlyOnce() {
        String job = unique("job");
        register(Map.of("jobId", job)).then().statusCode(400).body("detail", containsString("jobId '" + job + "'"));
        GatewayDataDir.linkGoldenAdapter("runs/" + job + "/adapter");
        register(Map.of("jobId", job)).then().statusCode(201).body("id", equalTo(job)).body("jobId", equalTo(job))
                // the base model is the one the adapter names (PEFT's base_model_name_or_path)
                .body("baseModel", equalTo(MODEL)).body("adapterPath", equalTo("runs/" + job + "/adapter"));
        String created = admin().get("/admin/versions/" + job).then().extract().path("createdAt");
        register(Map.of("jobId", job)).then().statusCode(200).body("id", equalTo(job))
                .body("createdAt", equalTo(created));
        register(Map.of("jobId", "../" + job)).then().statusCode(400).body("detail", startsWith("jobId"));
        register(Map.of("jobId", job, "adapterPath", "x")).then().statusCode(400);
    }

    @Test
    void routesPointNamesAtVersionsAndAServedVersionCannotBeDeleted() {
        String dir = "adapters/" + unique("golden");
        GatewayDataDir.linkGoldenAdapter(dir);
        String version = unique("ver");
        register(Map.of("id", version, "baseModel", MODEL, "adapterPath", dir)).then().statusCode(201);
        String route = unique("route");

        admin().contentType("application/json").body(Map.of("version", version)).put("/admin/routes/" + route)
                .then().statusCode(200).body("name", equalTo(route)).body("version", equalTo(version));
        admin().get("/admin/routes").then().statusCode(200).body("name", hasItem(route));
        admin().get("/admin/routes/" + route).then().statusCode(200).body("version", equalTo(version));
        GatewayClients.api().get("/v1/models").then().statusCode(200).body("data.id", hasItem(route));

        admin().delete("/admin/versions/" + version).then().statusCode(409)
                .body("detail", containsString("route '" + route + "'"));
        admin().contentType("application/json").body(Map.of("version", "no-such-version"))
                .put("/admin/routes/" + route).then().statusCode(400).body("detail", containsString("no-such-version"));
        admin().contentType("application/json").body(Map.of("version", version)).put("/admin/routes/" + MODEL)
                .then().statusCode(400).body("detail", containsString("base model"));
        admin().contentType("application/json").body(Map.of("version", version)).put("/admin/routes/.hidden")
                .then().statusCode(400).body("detail", containsString("route name"));
        admin().contentType("application/json").body(Map.of()).put("/admin/routes/" + route)
                .then().statusCode(400).body("detail", containsString("version"));

        admin().delete("/admin/routes/" + route).then().statusCode(204);
        admin().get("/admin/routes/" + route).then().statusCode(404);
        GatewayClients.api().get("/v1/models").then().body("data.id", not(hasItem(route)));
        admin().delete("/admin/versions/" + version).then().statusCode(204);
        admin().get("/admin/versions/" + version).then().statusCode(404);
    }

    @Test
    void apiKeysAreShownOnceListedWithoutSecretsAndRefusedOnceRevoked() throws Exception {
        String name = unique("team");
        Response created = admin().contentType("application/json").body(Map.of("name", name)).post("/admin/keys");
        created.then().statusCode(201).header("Cache-Control", "no-store").body("name", equalTo(name));
        String key = created.path("key");
        String id = created.path("id");
        assertTrue(key.startsWith("sk-anvil-") && key.length() >= "sk-anvil-".length() + 43, key.length() + " chars");
        assertTrue(key.startsWith(created.path("prefix")));

        String listing = admin().get("/admin/keys").then().statusCode(200).extract().asString();
        List<Map<String, Object>> keys = admin().get("/admin/keys").then().extract().path("$");
        Map<String, Object> listed = keys.stream().filter(k -> id.equals(k.get("id"))).findFirst().orElseThrow();
        assertEquals(name, listed.get("name"));
        assertEquals(created.path("prefix"), listed.get("prefix"));
        assertFalse(listed.containsKey("key"), listed.toString());
        assertFalse(listed.containsKey("hash"), listed.toString());
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
        assertFalse(listing.contains(key) || listing.contains(hash), "the listing holds no key and no hash");

        OpenAIClient client = GatewayClients.sdk(v1, key);
        assertTrue(client.models().list().data().stream().anyMatch(m -> m.id().equals(MODEL)));

        admin().delete("/admin/keys/" + id).then().statusCode(204);
        // Refused at once: no wait for a cache to expire.
        UnauthorizedException refused = assertThrows(UnauthorizedException.class, () -> client.models().list());
        assertEquals(401, refused.statusCode());
        assertEquals("invalid_api_key", refused.code().orElseThrow());
        assertEquals("invalid_request_error", refused.type().orElseThrow());
        admin().get("/admin/keys").then().body("find { it.id == '" + id + "' }.revokedAt", not(nullValue()));
        admin().delete("/admin/keys/" + id).then().statusCode(204);
        admin().delete("/admin/keys/no-such-key").then().statusCode(404);
        admin().contentType("application/json").body(Map.of("name", "")).post("/admin/keys").then().statusCode(400)
                .body("detail", containsString("name"));
    }

    @Test
    void v1RefusesMissingAndUnknownKeysInOpenAisShape() {
        for (var request : List.of(given(), given().header("Authorization", "Bearer sk-anvil-nope"),
                given().header("Authorization", "Basic abc"))) {
            request.contentType("application/json").body("{}").post("/v1/chat/completions").then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.code", equalTo("invalid_api_key"))
                    .body("error.param", nullValue())
                    .body("error.message", not(containsString("sk-anvil-nope")));
        }
        given().get("/v1/no-such-path").then().statusCode(401); // before matching: nothing learnt without a key
        given().header("Authorization", "Bearer sk-anvil-nope").get("/v1/models").then().statusCode(401)
                .body("error.message", startsWith("Incorrect API key provided"));
        given().get("/q/health/ready").then().statusCode(200); // health stays open
    }

    @Test
    void aTrafficReadKeyReadsVersionsAndTrafficAndNothingElse() {
        Response created = admin().contentType("application/json")
                .body(Map.of("name", "dataset-service", "scopes", List.of("traffic:read"))).post("/admin/keys");
        created.then().statusCode(201).body("scopes", equalTo(List.of("traffic:read"))).body("admin", equalTo(false));
        String key = created.path("key");
        String id = created.path("id");
        String version = GatewayClients.goldenVersion(unique("scoped"));
        admin().get("/admin/keys").then().body("find { it.id == '" + id + "' }.scopes", equalTo(List.of("traffic:read")));
        admin().get("/admin/keys").then().body("find { it.name == 'tests' }.scopes", equalTo(List.of()));

        given().header("Authorization", "Bearer " + key).get("/admin/versions/" + MODEL + "/traffic?feedback=apply")
                .then().statusCode(200).body("version", equalTo(MODEL));
        given().header("Authorization", "Bearer " + key).get("/admin/versions/" + version).then().statusCode(200)
                .body("id", equalTo(version));
        given().header("Authorization", "Bearer " + key).get("/admin/versions/no-such-version").then().statusCode(404);
        for (Response denied : List.of(
                given().header("Authorization", "Bearer " + key).contentType("application/json")
                        .body(Map.of("name", "more")).post("/admin/keys"),
                given().header("Authorization", "Bearer " + key).contentType("application/json")
                        .body(Map.of("version", MODEL)).put("/admin/routes/x"),
                given().header("Authorization", "Bearer " + key).get("/admin/versions"),
                given().header("Authorization", "Bearer " + key).delete("/admin/versions/" + version),
                given().header("Authorization", "Bearer " + key).get("/admin/versions/" + version + "/rollout"),
                given().header("Authorization", "Bearer " + key).get("/admin/drift"))) {
            denied.then().statusCode(403).contentType("application/problem+json")
                    .body("type", endsWith("/permission-denied")).body("detail", containsString("traffic:read"));
        }

        // Not a client of the models: /v1 refuses it.
        PermissionDeniedException refused = assertThrows(PermissionDeniedException.class,
                () -> GatewayClients.sdk(v1, key).models().list());
        assertEquals("permission_denied", refused.code().orElseThrow());

        admin().delete("/admin/keys/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + key).get("/admin/versions/" + version).then().statusCode(401);

        admin().contentType("application/json").body(Map.of("name", "x", "scopes", List.of("traffic:write")))
                .post("/admin/keys").then().statusCode(400).body("detail", containsString("scopes[0] 'traffic:write'"));
        admin().contentType("application/json").body(Map.of("name", "x", "scopes", List.of("traffic:read", "all")))
                .post("/admin/keys").then().statusCode(400).body("detail", containsString("scopes[1]"));
        admin().contentType("application/json").body(Map.of("name", "x", "admin", true, "scopes", List.of("traffic:read")))
                .post("/admin/keys").then().statusCode(400).body("detail", startsWith("admin"));
    }
}
