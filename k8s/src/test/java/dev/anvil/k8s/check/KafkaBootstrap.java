package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.strimzi.Kafka;
import java.util.Objects;
import java.util.Optional;

/** One entry of KAFKA_BOOTSTRAP_SERVERS, and the Kafka cluster and listener of the set it leads to. */
record KafkaBootstrap(String host, int port) {

    static final String VARIABLE = "KAFKA_BOOTSTRAP_SERVERS";

    /** The entry as host and port, or empty when it has no port. */
    static Optional<KafkaBootstrap> parse(String server) {
        int colon = server.lastIndexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new KafkaBootstrap(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1))));
    }

    /** Another namespace's Service or an external host: outside what can be checked offline. */
    boolean isOutside() {
        return host.contains(".");
    }

    /** The cluster of {@code namespace} whose bootstrap Service ({@code <cluster>-kafka-bootstrap}) this names. */
    Optional<Kafka> cluster(Manifests manifests, String namespace) {
        return manifests.all(Kafka.class).stream()
                .filter(k -> Objects.equals(k.metadata().getNamespace(), namespace))
                .filter(k -> k.bootstrapServiceName().equals(host))
                .findFirst();
    }

    Optional<Kafka.Listener> listener(Kafka kafka) {
        return kafka.listeners().stream().filter(l -> Objects.equals(l.port(), port)).findFirst();
    }
}
