package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.ManifestParser;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import java.util.ArrayList;
import java.util.List;

/** Every rule at once: read problems first, then each check's over what could be read. */
public final class ManifestValidator {

    private static final List<Check> CHECKS = List.of(new NameCheck(), new NamespaceCheck(), new SelectorCheck(), new ServiceCheck(),
            new ProbeCheck(), new ReferenceCheck(), new AutoscalingCheck(), new DisruptionBudgetCheck(),
            new InlinedSecretCheck(), new ContainerHygieneCheck(),
            new ExtendedResourceCheck(), new StrimziCheck(), new KafkaAccessCheck(), new ConnectionCheck(),
            new DatabaseLoginCheck(), new NetworkPolicyCheck(), new ScaledObjectCheck(), new PodMonitorCheck());

    private ManifestValidator() {}

    public static List<Problem> validate(String yaml, String origin) {
        return validate(ManifestParser.parse(yaml, origin));
    }

    public static List<Problem> validate(Manifests manifests) {
        List<Problem> problems = new ArrayList<>(manifests.readProblems());
        CHECKS.forEach(check -> problems.addAll(check.check(manifests)));
        return problems;
    }
}
