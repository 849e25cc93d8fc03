package dev.anvil.gateway.version;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.lora.LoraConfig;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.Tokenizer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static dev.anvil.gateway.testing.GatewayClients.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two adapter versions routed under two names on one base model, served through the OpenAI SDK: each answer
 * equals {@link TextGenerator} called directly with that adapter attached, and names its version.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class RoutedVersionsTest {
    static final String MODEL = GatewayDataDir.MODEL;
    static final String PROMPT = "Tell me about the stars";
    static final int TOKENS = 24;

    @TestHTTPResource("/v1")
    URL v1;

    @Test
    void eachRouteServesItsAdapterAsTheEngineDoesDirectly() {
        GatewayClients.awaitReady();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        // The golden PEFT adapter, as a finished run of the trainer would leave it: registered from the job.
        String dreamsJob = "job-dreams-" + suffix;
        GatewayDataDir.linkGoldenAdapter("runs/" + dreamsJob + "/adapter");
        admin().contentType("application/json").body(Map.of("jobId", dreamsJob)).post("/admin/versions").then()
                .statusCode(201);
        // A second adapter of our own, with a visible effect (B nonzero), registered from its path.
        LlamaModel reference = LlamaModel.load(GatewayDataDir.sharedModel(), LoadOptions.defaults());
        String otherVersion = "other-" + suffix;
        Path otherDir = GatewayDataDir.current().resolve("adapters").resolve(otherVersion);
        LoraAdapter other = LoraAdapter.create(otherVersion, reference.config(),
                LoraConfig.of(4, 8, 0.0, Set.of(ProjectionKind.Q, ProjectionKind.DOWN)), 7);
        try (NoGradGuard g = new NoGradGuard()) {
            other.parameters().forEach((name, t) -> {
                if (name.contains("lora_B")) t.copy_(torch.randn_like(t).mul(new Scalar(0.5)));
            });
        }
        other.save(otherDir);
        admin().contentType("application/json").body(Map.of("id", otherVersion, "baseModel", MODEL,
                "adapterPath", "adapters/" + otherVersion)).post("/admin/versions").then().statusCode(201);

        String dreamsRoute = "dreams-" + suffix;
        String otherRoute = "other-route-" + suffix;
        route(dreamsRoute, dreamsJob);
        route(otherRoute, otherVersion);

        // The reference: the same model with both adapters attached under their version ids.
        LoraAdapter.load(GatewayDataDir.goldenAdapter(), dreamsJob).attachTo(reference);
        LoraAdapter.load(otherDir, otherVersion).attachTo(reference);
        TextGenerator direct = new TextGenerator(reference, Tokenizer.load(GatewayDataDir.sharedModel()));
        int[] prompt = direct.encodeChat(List.of(ChatMessage.user(PROMPT)));
        String expectedDreams = direct.generate(new GenerationRequest(prompt, SamplingParams.greedy(TOKENS), dreamsJob)).text();
        String expectedOther = direct.generate(new GenerationRequest(prompt, SamplingParams.greedy(TOKENS), otherVersion)).text();
        String expectedBase = direct.generate(new GenerationRequest(prompt, SamplingParams.greedy(TOKENS), null)).text();
        assertNotEquals(expectedBase, expectedDreams, "the golden adapter changes the answer");
        assertNotEquals(expectedBase, expectedOther, "the second adapter changes the answer");

        OpenAIClient client = GatewayClients.sdk(v1);
        ChatCompletion dreams = chat(client, dreamsRoute);
        assertEquals(expectedDreams, dreams.choices().get(0).message().content().orElseThrow());
        assertEquals(dreamsRoute, dreams.model());
        ChatCompletion second = chat(client, otherRoute);
        assertEquals(expectedOther, second.choices().get(0).message().content().orElseThrow());
        assertEquals(expectedBase, chat(client, MODEL).choices().get(0).message().content().orElseThrow());
        assertEquals(expectedDreams, chat(client, dreamsRoute).choices().get(0).message().content().orElseThrow(),
                "again, after the other adapter ran");

        String body = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}],"
                + "\"max_tokens\":" + TOKENS + ",\"temperature\":0}";
        api().contentType("application/json").body(String.format(body, dreamsRoute)).post("/v1/chat/completions")
                .then().statusCode(200).header("x-anvil-model-version", equalTo(dreamsJob))
                .body("model", equalTo(dreamsRoute)).body("choices[0].message.content", equalTo(expectedDreams));
        api().contentType("application/json").body(String.format(body, otherRoute)).post("/v1/chat/completions")
                .then().statusCode(200).header("x-anvil-model-version", equalTo(otherVersion));
        api().contentType("application/json").body(String.format(body, MODEL)).post("/v1/chat/completions")
                .then().statusCode(200).header("x-anvil-model-version", equalTo(MODEL));
        List<String> names = client.models().list().data().stream().map(m -> m.id()).toList();
        assertTrue(names.containsAll(List.of(MODEL, dreamsRoute, otherRoute)), names.toString());

        // Moving a route moves its traffic at once.
        route(otherRoute, dreamsJob);
        assertEquals(expectedDreams, chat(client, otherRoute).choices().get(0).message().content().orElseThrow());
    }

    @Test
    void aVersionWithAModelOfItsOwnLoadsOnDemandAndAnswers503Meanwhile() {
        GatewayClients.awaitReady();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        // A full model in Hugging Face layout inside the data directory: the base's own weights will do.
        String version = "full-" + suffix;
        admin().contentType("application/json").body(Map.of("id", version, "modelPath", "models/" + MODEL))
                .post("/admin/versions").then().statusCode(201).body("kind", equalTo("model"));
        String name = "full-route-" + suffix;
        route(name, version);
        String body = "{\"model\":\"" + name + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT
                + "\"}],\"max_tokens\":" + TOKENS + ",\"temperature\":0}";
        // The first call starts the load and is answered at once, to be retried a second later.
        api().contentType("application/json").body(body).post("/v1/chat/completions").then().statusCode(503)
                .header("Retry-After", "1")
                .body("error.code", equalTo("model_not_ready")).body("error.message", containsString("is loading"));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                api().contentType("application/json").body(body).post("/v1/chat/completions").statusCode() == 200);
        String base = chat(GatewayClients.sdk(v1), MODEL).choices().get(0).message().content().orElseThrow();
        api().contentType("application/json").body(body).post("/v1/chat/completions").then().statusCode(200)
                .header("x-anvil-model-version", equalTo(version)).body("choices[0].message.content", equalTo(base));

        // Removing the version unloads its model.
        admin().delete("/admin/routes/" + name).then().statusCode(204);
        admin().delete("/admin/versions/" + version).then().statusCode(204);
    }

    static void route(String name, String version) {
        admin().contentType("application/json").body(Map.of("version", version)).put("/admin/routes/" + name)
                .then().statusCode(200);
    }

    static ChatCompletion chat(OpenAIClient client, String model) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
                .addUserMessage(PROMPT).maxCompletionTokens(TOKENS).temperature(0.0).build());
    }
}
