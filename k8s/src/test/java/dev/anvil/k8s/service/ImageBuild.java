package dev.anvil.k8s.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What a pod depends on in an image, whichever way it is built: a Dockerfile, or Jib from application.properties. */
public interface ImageBuild {

    /** The file that defines the image. */
    Path path();

    Optional<String> user();

    Set<Integer> exposedPorts();

    Map<String, String> env();

    /** The command the container starts with: java, its options, then the application. */
    List<String> entrypoint();
}
