package dev.anvil.k8s.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/** One YAML document of a manifest set, with where it came from so that a problem can point at it. */
public record Document(String origin, JsonNode content) {}
