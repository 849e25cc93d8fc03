package dev.anvil.events.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A packaged Quarkus application ({@code target/quarkus-app/quarkus-run.jar}, built by its module's package phase)
 * started as a process of its own, as it is deployed: what the {@code *IT} tests run against.
 */
public final class PackagedApplication {

    private PackagedApplication() {
    }

    /**
     * Starts {@code jar} with {@code jvmOptions}, {@code properties} as system properties and {@code env} added; its
     * output goes to {@code log} (appended, so that a restarted process keeps what the first one wrote).
     */
    public static Process start(Path jar, List<String> jvmOptions, Map<String, String> properties,
                                Map<String, String> env, Path log) throws IOException {
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is built by the package phase, before this test");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    /**
     * Waits up to {@code wait} until {@code ready} answers true (an exception counts as not yet: not listening), failing
     * at once if the process exited.
     */
    public static void awaitReady(Process process, Path log, Duration wait, Callable<Boolean> ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!answers(ready)) {
            if (!process.isAlive()) throw new IllegalStateException("the process exited; see " + log);
            if (System.nanoTime() > deadline) throw new IllegalStateException("not ready within " + wait + "; see " + log);
            Thread.sleep(500);
        }
    }

    private static boolean answers(Callable<Boolean> ready) {
        try {
            return ready.call();
        } catch (Exception notYet) { // not listening yet
            return false;
        }
    }

    /** A port nobody listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
