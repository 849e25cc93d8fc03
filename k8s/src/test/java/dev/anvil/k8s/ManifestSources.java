package dev.anvil.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.anvil.k8s.manifest.ManifestParser;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.render.Kustomize;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the kustomizations are and how the tests turn one into a manifest set. */
final class ManifestSources {

    /** Debian's own kubernetes-client package (1.20) is too old for these kustomizations (labels, patches). */
    static final String NO_KUBECTL = "kubectl (>= 1.27, kustomize v5) is not on the PATH nor set with -D"
            + Kustomize.KUBECTL_PROPERTY + ": overlays cannot be rendered here. The base is still validated"
            + " without kubectl by KustomizationFilesTest.";

    private ManifestSources() {}

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
