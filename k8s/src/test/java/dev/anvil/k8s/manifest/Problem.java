package dev.anvil.k8s.manifest;

/** A mistake found in the manifests: the resource at fault ("Deployment anvil/dataset-service") and what is wrong. */
public record Problem(String resource, String message) {

    @Override
    public String toString() {
        return resource + ": " + message;
    }
}
