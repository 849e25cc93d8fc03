package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import java.util.List;

/** One family of cross-reference rules over a whole manifest set. */
public interface Check {

    List<Problem> check(Manifests manifests);
}
