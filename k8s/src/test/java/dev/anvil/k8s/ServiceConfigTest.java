package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.ContainerEnvironment;
import dev.anvil.k8s.check.Workload;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.service.ServiceModule;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration the manifests give each service is configuration that service reads: every environment
 * variable maps onto a key of the module's application.properties (a misspelled variable would be ignored
 * silently by Quarkus and the default used instead), the profile named by QUARKUS_PROFILE has settings there, and
 * every anvil.* variable is documented in docs/configuration.md.
 */
class ServiceConfigTest {

    /** Read by Quarkus or the JVM themselves rather than mapped onto a configuration key. */
    private static final Set<String> PROCESS_VARIABLES = Set.of("QUARKUS_PROFILE", "JAVA_TOOL_OPTIONS");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.anvil.k8s.ManifestSources#renderings")
    void everyVariableIsAKeyTheServiceReads(String kustomization, String namespace) throws IOException {
        Manifests manifests = ManifestSources.rendered(kustomization);
        String documented = Files.readString(ManifestSources.repository().resolve("docs/configuration.md"));
        List<String> checked = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            for (Container container : workload.containers().toList()) {
                if (!container.getImage().startsWith(ServiceModule.IMAGE_PREFIX)) {
                    continue;
                }
                ServiceModule module = ServiceModule.ofImage(ManifestSources.repository(), container.getImage());
                Set<String> known = module.configEnvironmentNames();
                Map<String, String> env = ContainerEnvironment.of(manifests, namespace, container);
                List<String> unknown = env.keySet().stream()
                        .filter(name -> !PROCESS_VARIABLES.contains(name) && !known.contains(name)).toList();
                assertEquals(List.of(), unknown, workload.describe() + " sets variables " + module.name()
                        + " has no key for in src/main/resources/application.properties");
                String profile = env.get("QUARKUS_PROFILE");
                if (profile != null) {
                    assertTrue(module.profiles().containsAll(List.of(profile.split(","))), workload.describe()
                            + ": QUARKUS_PROFILE=" + profile + " but " + module.name() + " has settings only for "
                            + module.profiles());
                }
                env.keySet().stream().filter(name -> name.startsWith("ANVIL_")).forEach(name -> assertTrue(
                        documented.contains("`" + name + "`"), name + " is not in docs/configuration.md"));
                checked.add(module.name());
            }
        }
        assertTrue(checked.containsAll(AnvilContract.SERVICE_PORTS.keySet()), checked.toString());
    }

    /** Each service's own variables, besides the ones every service is given. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "trainer-service   | ANVIL_TRAINER_DEVICE       | ANVIL_TRAINER_DEVISE",
            "inference-gateway | ANVIL_GATEWAY_ADMIN_KEY    | ANVIL_GATEWAY_ADMINKEY",
            "inference-gateway | ANVIL_GATEWAY_TRAFFIC_KEY  | ANVIL_GATEWAY_TRAFFIC_KEYS",
            "inference-gateway | ANVIL_GATEWAY_BASE_MODELS  | ANVIL_GATEWAY_BASE_MODEL",
            "eval-service      | ANVIL_EVAL_MAX_EXAMPLES    | ANVIL_EVAL_MAX_EXAMPLE",
            "dataset-service   | ANVIL_DATASET_RETRAINING_GATEWAY_KEY | ANVIL_DATASET_RETRAINING_KEY",
            "dataset-service   | ANVIL_DATASET_RETRAINING_GATEWAY_URL | ANVIL_DATASET_RETRAINING_GATEWAY"})
    void aServicesKeysMapOntoTheVariablesTheManifestsSet(String service, String variable, String misspelled) {
        ServiceModule module = ServiceModule.ofImage(ManifestSources.repository(), "anvil/" + service + ":0.1.0");
        Set<String> known = module.configEnvironmentNames();

        assertTrue(known.containsAll(List.of(variable, "ANVIL_DATA_DIR", "KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_HTTP_PORT",
                "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")),
                known.toString());
        assertFalse(known.contains(misspelled), "a misspelling is not a key");
        assertTrue(module.profiles().contains("pg"), "the image for Kubernetes is built and run with the pg profile");
    }

    @Test
    void quotedKeySegmentsMapAsQuarkusMapsThem() {
        assertEquals("QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL",
                ServiceModule.environmentName("quarkus.log.category.\"org.apache.kafka\".level"));
    }
}
