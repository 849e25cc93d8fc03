package dev.anvil.k8s.check;

import dev.anvil.k8s.keda.ScaledObject;
import dev.anvil.k8s.keda.TriggerAuthentication;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.strimzi.Kafka;
import dev.anvil.k8s.strimzi.KafkaTopic;
import dev.anvil.k8s.strimzi.KafkaUser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A KEDA ScaledObject scales a Deployment or StatefulSet that exists, pins no replica count and has no
 * HorizontalPodAutoscaler of its own (KEDA makes one; two would fight over the count), between a minimum and a
 * larger maximum. A kafka trigger watches one KafkaTopic of a Kafka cluster of its namespace for one consumer group,
 * and asks for no more replicas than the topic has partitions (a consumer beyond them gets none and sits idle). When
 * the listener takes SCRAM logins, the trigger says so and logs in as a KafkaUser that may describe the topic and the
 * group, with the password from that user's Secret, and the listener admits KEDA's operator. A prometheus trigger has
 * a server, a query and a positive threshold. Every key a TriggerAuthentication reads exists.
 */
public final class ScaledObjectCheck implements Check {

    /** The pod label of KEDA's operator, which reads the triggers' sources (Helm chart kedacore/keda). */
    static final Map<String, String> KEDA_OPERATOR = Map.of("app.kubernetes.io/name", "keda-operator");
    private static final Set<String> DESCRIBING = Set.of("Describe", "Read");

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (ScaledObject scaled : manifests.all(ScaledObject.class)) {
            checkTarget(scaled, manifests, problems);
            for (ScaledObject.Trigger trigger : scaled.triggers()) {
                String at = "trigger " + trigger.type() + ": ";
                String fault = switch (String.valueOf(trigger.type())) {
                    case "kafka" -> kafkaFault(scaled, trigger, manifests);
                    case "prometheus" -> prometheusFault(trigger);
                    default -> null;
                };
                if (fault != null) {
                    problems.add(new Problem(Manifests.describe(scaled), at + fault));
                }
            }
        }
        manifests.all(TriggerAuthentication.class).forEach(auth -> checkReferences(auth, manifests, problems));
        return problems;
    }

    private static void checkTarget(ScaledObject scaled, Manifests manifests, List<Problem> problems) {
        String id = Manifests.describe(scaled);
        if (scaled.spec() == null || scaled.spec().scaleTargetRef() == null) {
            problems.add(new Problem(id, "needs spec.scaleTargetRef"));
            return;
        }
        ScaledObject.TargetRef ref = scaled.spec().scaleTargetRef();
        Optional<Workload> target = Workload.all(manifests).stream().filter(w -> w.isScaledBy(scaled)).findFirst();
        if (target.isEmpty()) {
            problems.add(new Problem(id, "scaleTargetRef " + ref.apiVersionOrDefault() + " " + ref.kindOrDefault()
                    + " " + ref.name() + " does not exist"));
            return;
        }
        Integer pinned = target.get().pinnedReplicas();
        if (pinned != null) {
            problems.add(new Problem(id, target.get().describe() + " sets spec.replicas " + pinned
                    + ": every apply would reset the autoscaler's count"));
        }
        manifests.all(HorizontalPodAutoscaler.class).stream().filter(target.get()::isScaledBy)
                .forEach(hpa -> problems.add(new Problem(id, Manifests.describe(hpa) + " scales "
                        + target.get().describe() + " too: KEDA makes its own HPA, and two would fight")));
        if (scaled.maxReplicas() < Math.max(1, scaled.minReplicas())) {
            problems.add(new Problem(id, "maxReplicaCount " + scaled.maxReplicas() + " is below minReplicaCount "
                    + scaled.minReplicas()));
        }
    }

    private static String kafkaFault(ScaledObject scaled, ScaledObject.Trigger trigger, Manifests manifests) {
        String servers = trigger.parameter("bootstrapServers");
        String topicName = trigger.parameter("topic");
        if (servers == null || topicName == null || trigger.parameter("consumerGroup") == null) {
            return "needs bootstrapServers, topic and consumerGroup";
        }
        String namespace = scaled.metadata().getNamespace();
        Optional<KafkaBootstrap> bootstrap = KafkaBootstrap.parse(servers.split(",")[0].strip());
        if (bootstrap.isEmpty() || bootstrap.get().isOutside()) {
            return null;
        }
        Optional<Kafka> kafka = bootstrap.get().cluster(manifests, namespace);
        Optional<Kafka.Listener> listener = kafka.flatMap(bootstrap.get()::listener);
        if (listener.isEmpty()) {
            return "bootstrapServers " + servers + " is no listener of a Kafka cluster of namespace " + namespace;
        }
        Optional<KafkaTopic> topic = manifests.all(KafkaTopic.class).stream()
                .filter(t -> Objects.equals(t.metadata().getNamespace(), namespace))
                .filter(t -> kafka.get().metadata().getName().equals(t.cluster()))
                .filter(t -> t.topicName().equals(topicName)).findFirst();
        if (topic.isEmpty()) {
            return "topic " + topicName + " is no KafkaTopic of Kafka " + kafka.get().metadata().getName();
        }
        Integer partitions = topic.get().spec() == null ? null : topic.get().spec().partitions();
        if (partitions != null && scaled.maxReplicas() > partitions) {
            return "maxReplicaCount " + scaled.maxReplicas() + " exceeds the " + partitions + " partitions of "
                    + topicName + ": the consumers beyond them would get no partition";
        }
        String lag = trigger.parameter("lagThreshold");
        if (lag != null && !isPositive(lag)) {
            return "lagThreshold " + lag + " is no positive number";
        }
        return KafkaUser.SCRAM_SHA_512.equals(listener.get().authenticationType())
                ? loginFault(scaled, trigger, kafka.get(), listener.get(), manifests) : null;
    }

    /** How the trigger logs in to a SCRAM listener: its mode, its user's rights, its password, the way in. */
    private static String loginFault(ScaledObject scaled, ScaledObject.Trigger trigger, Kafka kafka,
            Kafka.Listener listener, Manifests manifests) {
        String at = "listener " + listener.name() + " takes " + KafkaUser.SCRAM_SHA_512 + " logins: ";
        if (!"scram_sha512".equals(trigger.parameter("sasl"))) {
            return at + "set sasl: scram_sha512, not " + trigger.parameter("sasl");
        }
        boolean tls = Boolean.TRUE.equals(listener.tls());
        if (tls != "enable".equals(trigger.parameter("tls"))) {
            return at + "tls must be " + (tls ? "enable" : "unset or disable") + ", not " + trigger.parameter("tls");
        }
        if (!admitsKeda(listener)) {
            return at + "its networkPolicyPeers do not admit KEDA's operator (pods labelled " + KEDA_OPERATOR
                    + " of another namespace), which reads the lag";
        }
        String namespace = scaled.metadata().getNamespace();
        Optional<TriggerAuthentication> auth = Optional.ofNullable(trigger.authenticationRef())
                .filter(ref -> ref.kind() == null || ref.kind().equals("TriggerAuthentication"))
                .flatMap(ref -> manifests.find(TriggerAuthentication.class, namespace, ref.name()));
        if (auth.isEmpty()) {
            return at + "authenticationRef must name a TriggerAuthentication of namespace " + namespace;
        }
        TriggerAuthentication.KeyRef username = auth.get().parameters().get("username");
        TriggerAuthentication.KeyRef password = auth.get().parameters().get("password");
        Optional<KafkaUser> user = Optional.ofNullable(username)
                .flatMap(ref -> manifests.find(ConfigMap.class, namespace, ref.name())
                        .map(cm -> ConfigData.values(cm).get(ref.key())))
                .flatMap(name -> manifests.find(KafkaUser.class, namespace, name))
                .filter(u -> kafka.metadata().getName().equals(u.cluster()));
        if (user.isEmpty()) {
            return at + Manifests.describe(auth.get()) + " must give the username of a KafkaUser of Kafka "
                    + kafka.metadata().getName() + " (a ConfigMap value)";
        }
        if (password == null || !auth.get().secretRefs().contains(password)
                || !password.name().equals(user.get().secretName()) || !"password".equals(password.key())) {
            return at + Manifests.describe(auth.get()) + " must read password from key password of Secret "
                    + user.get().secretName();
        }
        for (String[] resource : List.of(new String[] {"topic", trigger.parameter("topic")},
                new String[] {"group", trigger.parameter("consumerGroup")})) {
            boolean describes = user.get().permissions().stream().anyMatch(p -> DESCRIBING.contains(p.operation())
                    && p.resourceType().equals(resource[0]) && p.name().equals(resource[1]));
            if (!describes) {
                return Manifests.describe(user.get()) + " may not describe " + resource[0] + " " + resource[1]
                        + ": the lag cannot be read";
            }
        }
        return null;
    }

    private static boolean admitsKeda(Kafka.Listener listener) {
        if (listener.networkPolicyPeers() == null || listener.networkPolicyPeers().isEmpty()) {
            return true;
        }
        return listener.networkPolicyPeers().stream().anyMatch(peer -> peer.getNamespaceSelector() != null
                && peer.getPodSelector() != null && Labels.selects(peer.getPodSelector(), KEDA_OPERATOR));
    }

    private static String prometheusFault(ScaledObject.Trigger trigger) {
        if (trigger.parameter("serverAddress") == null || trigger.parameter("query") == null) {
            return "needs serverAddress and query";
        }
        String threshold = trigger.parameter("threshold");
        return threshold != null && isPositive(threshold) ? null : "threshold " + threshold + " is no positive number";
    }

    private static boolean isPositive(String number) {
        try {
            return Double.parseDouble(number) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void checkReferences(TriggerAuthentication auth, Manifests manifests, List<Problem> problems) {
        String namespace = auth.metadata().getNamespace();
        for (TriggerAuthentication.KeyRef ref : auth.secretRefs()) {
            Optional<Set<String>> keys = ConfigData.secretKeys(manifests, namespace, ref.name());
            if (keys.isEmpty() || !keys.get().contains(ref.key())) {
                problems.add(new Problem(Manifests.describe(auth), "parameter " + ref.parameter() + ": Secret "
                        + ref.name() + (keys.isEmpty() ? " does not exist" : " has no key " + ref.key())));
            }
        }
        for (TriggerAuthentication.KeyRef ref : auth.configMapRefs()) {
            Optional<ConfigMap> configMap = manifests.find(ConfigMap.class, namespace, ref.name());
            if (configMap.isEmpty() || !ConfigData.keys(configMap.get()).contains(ref.key())) {
                problems.add(new Problem(Manifests.describe(auth), "parameter " + ref.parameter() + ": ConfigMap "
                        + ref.name() + (configMap.isEmpty() ? " does not exist" : " has no key " + ref.key())));
            }
        }
    }
}
