package dev.anvil.gateway.testing;

import dev.anvil.events.testing.PackagedApplication;
import dev.anvil.events.testing.SharedFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The packaged gateway ({@code target/quarkus-app}, built by the package phase) started as a process of its own, as
 * it is deployed: what the {@code *IT} tests run against.
 */
public final class PackagedGateway {
    /** How long a gateway may take to load its model and become ready. */
    public static final Duration WAIT = Duration.ofSeconds(90);

    private PackagedGateway() {
    }

    /** A fresh data directory under {@code target/} with the test model linked in (never copied). */
    public static Path dataDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), prefix);
        Files.createDirectories(dir.resolve("models"));
        Files.createSymbolicLink(dir.resolve("models").resolve(SharedFixtures.MODEL), SharedFixtures.model());
        return dir;
    }

    /** Starts it with {@code properties} as system properties and {@code env} added; its output goes to {@code log}. */
    public static Process start(Map<String, String> properties, Map<String, String> env, Path log) throws IOException {
        Path jar = Path.of(System.getProperty("anvil.gateway.jar", "target/quarkus-app/quarkus-run.jar"));
        return PackagedApplication.start(jar, List.of("-Xmx768m"), properties, env, log);
    }

    /** Waits until {@code ready} answers true (an exception counts as not yet), failing at once if it exited. */
    public static void awaitReady(Process process, Path log, Callable<Boolean> ready) throws InterruptedException {
        PackagedApplication.awaitReady(process, log, WAIT, ready);
    }

    public static int freePort() throws IOException {
        return PackagedApplication.freePort();
    }
}
