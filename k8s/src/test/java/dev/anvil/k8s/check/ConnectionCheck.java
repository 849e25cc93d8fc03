package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.strimzi.Kafka;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The addresses a service is given must lead somewhere in the same set: KAFKA_BOOTSTRAP_SERVERS names the bootstrap
 * Service of a Kafka cluster and a plain listener's port, QUARKUS_DATASOURCE_JDBC_URL a Service and one of its ports.
 * Addresses with a dot (another namespace, an external host) are outside what can be checked offline.
 */
public final class ConnectionCheck implements Check {

    static final String KAFKA_BOOTSTRAP = KafkaBootstrap.VARIABLE;
    static final String JDBC_URL = "QUARKUS_DATASOURCE_JDBC_URL";

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            workload.containers().forEach(container -> checkContainer(manifests, workload, container, problems));
        }
        return problems;
    }

    private static void checkContainer(Manifests manifests, Workload workload, Container container,
            List<Problem> problems) {
        Map<String, String> env = ContainerEnvironment.of(manifests, workload.namespace(), container);
        String at = "container " + container.getName() + " ";
        String bootstrap = env.get(KAFKA_BOOTSTRAP);
        if (bootstrap != null) {
            for (String server : bootstrap.split(",")) {
                String fault = kafkaFault(manifests, workload.namespace(), server.strip());
                if (fault != null) {
                    problems.add(new Problem(workload.describe(), at + KAFKA_BOOTSTRAP + " " + server + ": " + fault));
                }
            }
        }
        String jdbcUrl = env.get(JDBC_URL);
        if (jdbcUrl != null) {
            String fault = jdbcFault(manifests, workload.namespace(), jdbcUrl);
            if (fault != null) {
                problems.add(new Problem(workload.describe(), at + JDBC_URL + " " + jdbcUrl + ": " + fault));
            }
        }
    }

    private static String kafkaFault(Manifests manifests, String namespace, String server) {
        var bootstrap = KafkaBootstrap.parse(server);
        if (bootstrap.isEmpty()) {
            return "needs host:port";
        }
        if (bootstrap.get().isOutside()) {
            return null;
        }
        Kafka kafka = bootstrap.get().cluster(manifests, namespace).orElse(null);
        if (kafka == null) {
            return "names no Kafka cluster's bootstrap Service (<cluster>-kafka-bootstrap) in namespace " + namespace;
        }
        boolean plainListener = bootstrap.get().listener(kafka).filter(l -> Boolean.FALSE.equals(l.tls())).isPresent();
        return plainListener ? null : "Kafka " + kafka.metadata().getName() + " has no plain (non-TLS) listener on "
                + bootstrap.get().port();
    }

    private static String jdbcFault(Manifests manifests, String namespace, String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:")) {
            return "not a JDBC URL";
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null || uri.getHost().contains(".")) {
            return null;
        }
        var service = manifests.find(Service.class, namespace, uri.getHost());
        if (service.isEmpty()) {
            return "names no Service " + uri.getHost() + " in namespace " + namespace;
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        boolean exposed = Workload.nonNull(service.get().getSpec().getPorts()).stream()
                .map(ServicePort::getPort).anyMatch(p -> p == port);
        return exposed ? null : "Service " + uri.getHost() + " exposes no port " + port;
    }
}
