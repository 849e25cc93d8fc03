package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.strimzi.Kafka;
import dev.anvil.k8s.strimzi.KafkaTopic;
import dev.anvil.k8s.strimzi.KafkaUser;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Kafka clients log in, and may do only what their ACLs say. A KafkaUser belongs to a Kafka cluster that runs the
 * User Operator (which makes its credentials), enforces ACLs where the user has them, and has a listener that takes
 * the user's authentication. Each ACL names one existing topic or one consumer group literally, with operations a
 * client needs (Read, Write, Describe): a prefix or '*', the operation All, administrative operations and cluster or
 * transactional-id ACLs are wider than a service needs. A workload that connects to a SCRAM listener logs in with that
 * listener's protocol and mechanism and with the login of a KafkaUser's Secret; no two workloads share a user, so
 * that each one's ACLs are its own.
 */
public final class KafkaAccessCheck implements Check {

    static final String SECURITY_PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    static final String SASL_MECHANISM = "KAFKA_SASL_MECHANISM";
    static final String JAAS_CONFIG = "KAFKA_SASL_JAAS_CONFIG";
    private static final Map<String, Set<String>> CLIENT_OPERATIONS = Map.of(
            "topic", Set.of("Read", "Write", "Describe"), "group", Set.of("Read", "Describe"));

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        manifests.all(KafkaUser.class).forEach(user -> checkUser(user, manifests, problems));
        Map<KafkaUser, List<String>> clients = new LinkedHashMap<>();
        for (Workload workload : Workload.all(manifests)) {
            workload.containers().forEach(container -> checkClient(manifests, workload, container, problems)
                    .ifPresent(user -> clients.computeIfAbsent(user, u -> new ArrayList<>()).add(workload.describe())));
        }
        clients.forEach((user, workloads) -> {
            if (workloads.size() > 1) {
                problems.add(new Problem(Manifests.describe(user), "is the login of " + String.join(", ", workloads)
                        + ": give each workload its own KafkaUser, so that its ACLs are its own"));
            }
        });
        return problems;
    }

    private static void checkUser(KafkaUser user, Manifests manifests, List<Problem> problems) {
        String id = Manifests.describe(user);
        if (user.secretKeys().isEmpty()) {
            problems.add(new Problem(id, "spec.authentication.type " + user.authenticationType() + ": Strimzi makes"
                    + " credentials only for " + KafkaUser.SCRAM_SHA_512 + " and " + KafkaUser.TLS));
        }
        Kafka kafka = StrimziCheck.requireCluster(user, manifests, problems);
        if (kafka != null) {
            String cluster = "Kafka " + kafka.metadata().getName();
            if (!kafka.hasUserOperator()) {
                problems.add(new Problem(id, cluster + " runs no User Operator (spec.entityOperator.userOperator):"
                        + " nothing creates this user or its Secret"));
            }
            if (user.authorizationType() != null && !user.authorizationType().equals(kafka.authorizationType())) {
                problems.add(new Problem(id, "has " + user.authorizationType() + " ACLs but " + cluster
                        + " does not enforce them (spec.kafka.authorization.type " + kafka.authorizationType() + ")"));
            }
            if (kafka.listeners().stream().noneMatch(l -> Objects.equals(l.authenticationType(), user.authenticationType()))) {
                problems.add(new Problem(id, "no listener of " + cluster + " takes its authentication "
                        + user.authenticationType()));
            }
        }
        for (KafkaUser.AclRule rule : user.acls()) {
            String fault = aclFault(rule, kafka, manifests);
            if (fault != null) {
                problems.add(new Problem(id, "ACL " + rule.resource() + " " + rule.operations() + ": " + fault));
            }
        }
    }

    private static String aclFault(KafkaUser.AclRule rule, Kafka kafka, Manifests manifests) {
        KafkaUser.AclResource resource = rule.resource();
        if (resource == null || resource.type() == null || resource.name() == null || rule.operations() == null) {
            return "needs resource.type, resource.name and operations";
        }
        Set<String> allowed = CLIENT_OPERATIONS.get(resource.type());
        if (allowed == null) {
            return "too wide: a client needs ACLs on topics and its consumer group only, not on a " + resource.type();
        }
        if ("prefix".equals(resource.patternType()) || resource.name().contains("*")) {
            return "too wide: name one " + resource.type() + " literally, not a prefix or *";
        }
        List<String> wider = rule.operations().stream().filter(op -> !allowed.contains(op)).toList();
        if (!wider.isEmpty()) {
            return "too wide: " + wider + " on a " + resource.type() + "; a client needs only " + allowed;
        }
        if (resource.type().equals("topic") && kafka != null && manifests.all(KafkaTopic.class).stream()
                .filter(t -> kafka.metadata().getName().equals(t.cluster()))
                .filter(t -> Objects.equals(t.metadata().getNamespace(), kafka.metadata().getNamespace()))
                .noneMatch(t -> t.topicName().equals(resource.name()))) {
            return "topic " + resource.name() + " is no KafkaTopic of Kafka " + kafka.metadata().getName();
        }
        return null;
    }

    /**
     * A container that bootstraps from a SCRAM listener must log in as a KafkaUser: its protocol, its mechanism and
     * the login from that user's Secret. The user it logs in as, if any.
     */
    private static Optional<KafkaUser> checkClient(Manifests manifests, Workload workload, Container container,
            List<Problem> problems) {
        Map<String, String> env = ContainerEnvironment.of(manifests, workload.namespace(), container);
        String servers = env.get(KafkaBootstrap.VARIABLE);
        if (servers == null) {
            return Optional.empty();
        }
        Optional<KafkaUser> login = Optional.empty();
        for (String server : servers.split(",")) {
            var bootstrap = KafkaBootstrap.parse(server.strip());
            var kafka = bootstrap.flatMap(b -> b.cluster(manifests, workload.namespace()));
            var listener = kafka.flatMap(k -> bootstrap.get().listener(k));
            if (listener.isEmpty() || !KafkaUser.SCRAM_SHA_512.equals(listener.get().authenticationType())) {
                continue;
            }
            String at = "container " + container.getName() + " bootstraps from " + server.strip()
                    + ", which takes " + KafkaUser.SCRAM_SHA_512 + " logins: ";
            String protocol = Boolean.TRUE.equals(listener.get().tls()) ? "SASL_SSL" : "SASL_PLAINTEXT";
            if (!protocol.equals(env.get(SECURITY_PROTOCOL))) {
                problems.add(new Problem(workload.describe(), at + SECURITY_PROTOCOL + " must be " + protocol
                        + ", not " + env.get(SECURITY_PROTOCOL)));
            }
            if (!"SCRAM-SHA-512".equals(env.get(SASL_MECHANISM))) {
                problems.add(new Problem(workload.describe(), at + SASL_MECHANISM + " must be SCRAM-SHA-512, not "
                        + env.get(SASL_MECHANISM)));
            }
            login = userOf(container, manifests, workload.namespace(), kafka.get());
            if (login.isEmpty()) {
                problems.add(new Problem(workload.describe(), at + JAAS_CONFIG + " must come from the "
                        + KafkaUser.JAAS_CONFIG_KEY + " key of the Secret of a " + KafkaUser.SCRAM_SHA_512
                        + " KafkaUser of Kafka " + kafka.get().metadata().getName()));
            }
        }
        return login;
    }

    /** The KafkaUser of {@code kafka} whose Secret the container's login is read from. */
    static Optional<KafkaUser> userOf(Container container, Manifests manifests, String namespace, Kafka kafka) {
        Optional<SecretKeySelector> ref = Workload.nonNull(container.getEnv()).stream()
                .filter(e -> e.getName().equals(JAAS_CONFIG) && e.getValueFrom() != null)
                .map(EnvVar::getValueFrom).map(from -> from.getSecretKeyRef()).filter(Objects::nonNull).findFirst();
        return ref.filter(r -> KafkaUser.JAAS_CONFIG_KEY.equals(r.getKey()))
                .flatMap(r -> manifests.all(KafkaUser.class).stream()
                        .filter(u -> Objects.equals(u.metadata().getNamespace(), namespace))
                        .filter(u -> kafka.metadata().getName().equals(u.cluster()))
                        .filter(u -> KafkaUser.SCRAM_SHA_512.equals(u.authenticationType()))
                        .filter(u -> u.secretName().equals(r.getName()))
                        .findFirst());
    }
}
