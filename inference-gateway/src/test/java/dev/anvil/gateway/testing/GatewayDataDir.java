package dev.anvil.gateway.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A data directory for the gateway under test, prepared before it starts (it loads its base models at start): the
 * real aidreams260K linked, never copied, from {@code ../shared/models}.
 */
public class GatewayDataDir implements QuarkusTestResourceLifecycleManager {
    public static final String MODEL = "aidreams260K";

    public static Path sharedModel() {
        String shared = System.getProperty("anvil.shared.dir", "../../shared");
        Path model = Path.of(shared).toAbsolutePath().normalize().resolve("models").resolve(MODEL);
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            throw new IllegalStateException("the test model is missing: " + model);
        }
        return model;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gateway-data-");
            Files.createDirectories(dir.resolve("models"));
            Files.createSymbolicLink(dir.resolve("models").resolve(MODEL), sharedModel());
            return Map.of("anvil.data-dir", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
