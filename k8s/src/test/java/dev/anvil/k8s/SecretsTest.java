package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.ConfigData;
import dev.anvil.k8s.check.ManifestValidator;
import dev.anvil.k8s.manifest.ManifestParser;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.render.KustomizationFiles;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed credentials are placeholders, and the way docs/kubernetes.md replaces them works. */
class SecretsTest {

    private static final String PLACEHOLDER = "CHANGE-ME";

    @Test
    void baseHoldsOnlyPlaceholderPasswords() {
        Manifests base = ManifestParser.parse(KustomizationFiles.read(ManifestSources.k8sDir().resolve("base")));

        List<Secret> secrets = base.all(Secret.class);
        assertTrue(!secrets.isEmpty(), "the base declares the database credentials");
        for (Secret secret : secrets) {
            ConfigData.values(secret).forEach((key, value) -> {
                if (key.contains("password")) {
                    assertTrue(value.startsWith(PLACEHOLDER), secret.getMetadata().getName() + " " + key
                            + " must be a placeholder, never a real secret");
                }
            });
        }
    }

    @Test
    void anOverlaySecretGeneratorReplacesThePlaceholder(@TempDir Path workDir) throws IOException {
        Path overlay = workDir.resolve("mine");
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("postgres.env"), """
                database=anvil
                username=anvil
                password=from-a-file-outside-git
                jdbc-url=jdbc:postgresql://anvil-postgres:5432/anvil
                trainer-database=anvil_trainer
                trainer-jdbc-url=jdbc:postgresql://anvil-postgres:5432/anvil_trainer
                """);
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                secretGenerator:
                  - name: anvil-postgres
                    behavior: replace
                    envs:
                      - postgres.env
                """.formatted(overlay.toAbsolutePath().relativize( // kustomize accepts relative paths only
                        ManifestSources.k8sDir().resolve("overlays/dev").toAbsolutePath().normalize())));

        Manifests manifests = ManifestParser.parse(ManifestSources.render(overlay), "mine");

        assertEquals(List.of(), ManifestValidator.validate(manifests));
        Secret secret = manifests.find(Secret.class, "anvil-dev", "anvil-postgres").orElseThrow();
        Map<String, String> values = ConfigData.values(secret);
        assertEquals("from-a-file-outside-git", values.get("password"));
        assertEquals(6, values.size(), "every key replaced, none left over from the placeholder");
    }
}
