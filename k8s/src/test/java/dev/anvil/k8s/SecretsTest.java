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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed credentials are placeholders or empty, and the way docs/kubernetes.md replaces them works. The dev
 * overlay's own keys are visibly development ones.
 */
class SecretsTest {

    private static final String PLACEHOLDER = "CHANGE-ME";

    @Test
    void baseHoldsNoRealSecret() {
        Manifests base = ManifestParser.parse(KustomizationFiles.read(ManifestSources.k8sDir().resolve("base")));

        List<Secret> secrets = base.all(Secret.class);
        Set<String> expected = new HashSet<>(Set.of(AnvilContract.DATABASE_SUPERUSER_SECRET,
                AnvilContract.GATEWAY_KEYS_SECRET, AnvilContract.DATASET_KEYS_SECRET));
        AnvilContract.SERVICE_PORTS.keySet().forEach(
                service -> expected.add(AnvilContract.databaseLoginSecret(service)));
        assertEquals(expected, secrets.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet()));
        for (Secret secret : secrets) {
            ConfigData.values(secret).forEach((key, value) -> {
                if (key.contains("password") || key.endsWith("key")) {
                    assertTrue(value.isEmpty() || value.startsWith(PLACEHOLDER), secret.getMetadata().getName() + " "
                            + key + " must be empty or a placeholder, never a real secret");
                }
            });
        }
    }

    @Test
    void devKeysSayTheyAreNotReal() {
        Manifests dev = ManifestSources.rendered("overlays/dev");

        Map<String, String> keys = ConfigData.values(
                dev.find(Secret.class, "anvil-dev", AnvilContract.GATEWAY_KEYS_SECRET).orElseThrow());
        assertTrue(keys.get("admin-key").startsWith("dev-"), keys.get("admin-key"));
        String trafficKey = new String(Base64.getDecoder().decode(keys.get("traffic-key")), StandardCharsets.UTF_8);
        assertTrue(trafficKey.contains("not real"), trafficKey);
    }

    @Test
    void anOverlaySecretGeneratorReplacesThePlaceholders(@TempDir Path workDir) throws IOException {
        Path overlay = workDir.resolve("mine");
        Files.createDirectories(overlay);
        StringBuilder generators = new StringBuilder(generator(AnvilContract.DATABASE_SUPERUSER_SECRET,
                "postgres.env"));
        Files.writeString(overlay.resolve("postgres.env"), """
                username=anvil
                password=superuser-from-a-file-outside-git
                """);
        for (String service : AnvilContract.SERVICE_PORTS.keySet()) {
            String database = "anvil_" + service.replace('-', '_');
            Files.writeString(overlay.resolve("postgres-" + service + ".env"), """
                    username=%s
                    password=%s-from-a-file-outside-git
                    database=%s
                    jdbc-url=jdbc:postgresql://anvil-postgres:5432/%s
                    """.formatted(database, service, database, database));
            generators.append(generator(AnvilContract.databaseLoginSecret(service), "postgres-" + service + ".env"));
        }
        String trafficKey = Base64.getEncoder().encodeToString(new byte[AnvilContract.TRAFFIC_KEY_BYTES]);
        Files.writeString(overlay.resolve("gateway-keys.env"), """
                admin-key=admin-key-from-a-file
                traffic-key=%s
                """.formatted(trafficKey));
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                secretGenerator:
                %s%s""".formatted(overlay.toAbsolutePath().relativize( // kustomize accepts relative paths only
                        ManifestSources.k8sDir().resolve("overlays/prod").toAbsolutePath().normalize()),
                generators, generator(AnvilContract.GATEWAY_KEYS_SECRET, "gateway-keys.env")));

        Manifests manifests = ManifestParser.parse(ManifestSources.render(overlay), "mine");

        assertEquals(List.of(), ManifestValidator.validate(manifests));
        AnvilContract.assertHonouredBy(manifests, "anvil");
        assertEquals(Map.of("username", "anvil", "password", "superuser-from-a-file-outside-git"),
                secret(manifests, AnvilContract.DATABASE_SUPERUSER_SECRET));
        for (String service : AnvilContract.SERVICE_PORTS.keySet()) {
            Map<String, String> login = secret(manifests, AnvilContract.databaseLoginSecret(service));
            assertEquals(service + "-from-a-file-outside-git", login.get("password"));
            assertEquals(Set.of("username", "password", "database", "jdbc-url"), login.keySet(),
                    "every key replaced, none left over from the placeholder");
        }
        assertEquals(Map.of("admin-key", "admin-key-from-a-file", "traffic-key", trafficKey),
                secret(manifests, AnvilContract.GATEWAY_KEYS_SECRET));
    }

    /** A secretGenerator entry that replaces the Secret {@code name} from the env file beside the kustomization. */
    private static String generator(String name, String envFile) {
        return """
                  - name: %s
                    behavior: replace
                    envs:
                      - %s
                """.formatted(name, envFile);
    }

    private static Map<String, String> secret(Manifests manifests, String name) {
        return ConfigData.values(manifests.find(Secret.class, "anvil", name).orElseThrow());
    }
}
