package dev.anvil.k8s.render;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Renders a kustomization with the kustomize built into kubectl: {@code kubectl kustomize <dir>}, no cluster needed. */
public final class Kustomize {

    /** Overrides where kubectl is, e.g. {@code -Danvil.kubectl=/opt/bin/kubectl}. */
    public static final String KUBECTL_PROPERTY = "anvil.kubectl";
    private static final long TIMEOUT_SECONDS = 60;

    private Kustomize() {}

    /** kubectl from {@value #KUBECTL_PROPERTY} or the PATH, if there is one. */
    public static Optional<Path> kubectl() {
        String configured = System.getProperty(KUBECTL_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The rendered multi-document YAML; fails with kubectl's own message when the kustomization is broken. */
    public static String render(Path kubectl, Path kustomizationDir) {
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomizationDir.toString())
                        .redirectError(errors.toFile())
                        .start();
                process.getOutputStream().close();
                // Read before waiting: a full pipe would otherwise block kubectl forever.
                String rendered = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("kubectl kustomize " + kustomizationDir + " took over "
                            + TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("kubectl kustomize " + kustomizationDir + " failed (exit "
                            + process.exitValue() + "; these kustomizations need kubectl >= 1.27 with kustomize v5): "
                            + Files.readString(errors).strip());
                }
                return rendered;
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + kustomizationDir, e);
        }
    }
}
