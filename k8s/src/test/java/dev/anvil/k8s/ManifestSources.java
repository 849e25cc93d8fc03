package dev.anvil.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.anvil.k8s.manifest.ManifestParser;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.render.Kustomize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Where the kustomizations are and how the tests turn one into a manifest set. */
final class ManifestSources {

    /** Debian's own kubernetes-client package (1.20) is too old for these kustomizations (labels, patches). */
    static final String NO_KUBECTL = "kubectl (>= 1.27, kustomize v5) is not on the PATH nor set with -D"
            + Kustomize.KUBECTL_PROPERTY + ": overlays cannot be rendered here. The base is still validated"
            + " without kubectl by KustomizationFilesTest.";

    /** Every kustomization a user applies, with the namespace it deploys into. */
    static final Map<String, String> RENDERINGS = orderedMap("base", "anvil", "overlays/dev", "anvil-dev",
            "overlays/prod", "anvil", "overlays/gpu", "anvil");

    private ManifestSources() {}

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** {@link #RENDERINGS} as test arguments: (kustomization, namespace). */
    static Stream<Arguments> renderings() {
        return RENDERINGS.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /** The checkout the k8s folder belongs to: the services' sources, Dockerfiles and docs. */
    static Path repository() {
        return k8sDir().toAbsolutePath().normalize().getParent();
    }

    static Path k8sDir() {
        Path dir = Path.of(System.getProperty("anvil.k8s.dir", "."));
        if (!Files.isRegularFile(dir.resolve("base/kustomization.yaml"))) {
            throw new IllegalStateException("no k8s/base/kustomization.yaml under " + dir.toAbsolutePath()
                    + "; set -Danvil.k8s.dir to the k8s folder");
        }
        return dir;
    }

    /** Renders a kustomization (e.g. "overlays/dev") with kubectl; skips the test, saying why, without kubectl. */
    static String render(String kustomization) {
        return render(k8sDir().resolve(kustomization));
    }

    static String render(Path kustomizationDir) {
        var kubectl = Kustomize.kubectl();
        assumeTrue(kubectl.isPresent(), NO_KUBECTL);
        return Kustomize.render(kubectl.get(), kustomizationDir);
    }

    static Manifests rendered(String kustomization) {
        return ManifestParser.parse(render(kustomization), kustomization);
    }
}
