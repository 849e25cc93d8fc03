package dev.anvil.gateway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.testing.SharedFixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A data directory for the gateway under test, prepared before it starts (it loads its base models at start): the
 * real aidreams260K linked, never copied, from {@code ../shared/models}; and the in-process Kafka broker the
 * gateway reads training.events from (every gateway test class shares this resource, hence one gateway per JVM).
 */
public class GatewayDataDir implements QuarkusTestResourceLifecycleManager {
    public static final String MODEL = "aidreams260K";
    /** The same weights and tokenizer with a chat template that renders tool definitions and tool calls. */
    public static final String TOOLS_MODEL = "aidreams260K-tools";
    public static final String TOOLS_TEMPLATE = "{{ bos_token }}{% if tools %}Tools:{% for tool in tools %} "
            + "{{ tool.function.name }}{% endfor %}\n{% endif %}{% for message in messages %}{{ message.role }}: "
            + "{{ message.content }}{% for call in message.tool_calls or [] %} call {{ call.function.name }}"
            + "{% endfor %}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

    /** The data directory of the gateway under test (call from a test, once it runs). */
    public static Path current() {
        return Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("anvil.data-dir", String.class));
    }

    /** The golden PEFT adapter of aidreams260K (trained with PEFT itself). */
    public static Path goldenAdapter() {
        return SharedFixtures.goldenAdapter();
    }

    /** Links the golden adapter (never a copy) at {@code relative} under the current data directory. */
    public static Path linkGoldenAdapter(String relative) {
        return SharedFixtures.linkGoldenAdapter(current(), relative);
    }

    public static Path sharedModel() {
        return SharedFixtures.model();
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gateway-data-");
            Files.createDirectories(dir.resolve("models"));
            Files.createSymbolicLink(dir.resolve("models").resolve(MODEL), sharedModel());
            writeToolsModel(dir.resolve("models").resolve(TOOLS_MODEL));
            return Map.of("anvil.data-dir", dir.toString(), "kafka.bootstrap.servers", InProcessKafka.bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Links the model's files, writes a tokenizer config of its own with {@link #TOOLS_TEMPLATE}. */
    private static void writeToolsModel(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String file : new String[]{"config.json", "generation_config.json", "model.safetensors", "tokenizer.json"}) {
            Files.createSymbolicLink(dir.resolve(file), sharedModel().resolve(file));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(sharedModel().resolve("tokenizer_config.json").toFile());
        config.put("chat_template", TOOLS_TEMPLATE);
        json.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
    }

    @Override
    public void stop() {
    }
}
