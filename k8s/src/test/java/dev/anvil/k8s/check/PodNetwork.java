package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.strimzi.Kafka;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pods a manifest set runs and the NetworkPolicies between them, evaluated as the network plugin does: a pod
 * that some policy of a type selects is isolated for that direction, and then only what a rule of a policy
 * selecting it allows gets through. The pods are the workloads' pod templates and the pods Strimzi runs for each
 * Kafka cluster (its nodes and entity operator), and the policies include the one Strimzi writes for its nodes'
 * listeners. Where each workload connects is read from its environment ({@link Connection}).
 */
public final class PodNetwork {

    public static final String INGRESS = "Ingress";
    public static final String EGRESS = "Egress";
    /** The label Kubernetes gives every namespace: its name. */
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    /** scheme://host[:port] at the start of a value, with or without jdbc: before it. */
    private static final Pattern URL = Pattern.compile("^(?:jdbc:)?([a-z][a-z0-9+.-]*)://([^/:?#,]+)(?::(\\d+))?");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("postgresql", 5432, "http", 80, "https", 443);

    /** A pod as policies see it; {@code workload} is null for a pod Strimzi runs. */
    public record Pod(String namespace, String name, Map<String, String> labels, List<ContainerPort> ports,
            Workload workload) {

        /** The number of a port given by number or by the name a container declares. */
        Optional<Integer> resolve(IntOrString port) {
            if (port.getIntVal() != null) {
                return Optional.of(port.getIntVal());
            }
            return ports.stream().filter(p -> port.getStrVal().equals(p.getName()))
                    .map(ContainerPort::getContainerPort).findFirst();
        }
    }

    /**
     * A connection a workload makes, read from variable {@code variable}: to the pods behind the address, or, for an
     * address outside the namespace (a dot: another namespace, an external host, or an ExternalName Service), to
     * the outside ({@code to} empty), on {@code port}.
     */
    public record Connection(String variable, String address, List<Pod> to, int port) {

        public boolean isOutside() {
            return to.isEmpty();
        }

        @Override
        public String toString() {
            return address + " (" + variable + ")";
        }
    }

    /** A rule that lets traffic in from outside the namespace: who ("anyone", or the peer's selectors) and which port. */
    public record OutsideIngress(String from, int port) {

        @Override
        public String toString() {
            return from + " on " + port;
        }
    }

    private final Manifests manifests;
    private final List<Pod> pods = new ArrayList<>();
    private final List<NetworkPolicy> policies = new ArrayList<>();

    private PodNetwork(Manifests manifests) {
        this.manifests = manifests;
    }

    public static PodNetwork of(Manifests manifests) {
        PodNetwork network = new PodNetwork(manifests);
        for (Workload workload : Workload.all(manifests)) {
            List<ContainerPort> ports = workload.containers().map(Container::getPorts).filter(Objects::nonNull)
                    .flatMap(List::stream).toList();
            network.pods.add(new Pod(workload.namespace(), workload.describe(), workload.podLabels(), ports, workload));
        }
        for (Kafka kafka : manifests.all(Kafka.class)) {
            String namespace = kafka.metadata().getNamespace();
            List<ContainerPort> listeners = kafka.listeners().stream().filter(l -> l.port() != null)
                    .map(l -> new ContainerPort(l.port(), null, null, l.name(), "TCP")).toList();
            network.pods.add(new Pod(namespace, "Kafka nodes of " + Manifests.describe(kafka), kafka.nodePodLabels(),
                    listeners, null));
            if (kafka.spec() != null && kafka.spec().entityOperator() != null) {
                network.pods.add(new Pod(namespace, "entity operator of " + Manifests.describe(kafka),
                        kafka.entityOperatorPodLabels(), List.of(), null));
            }
            network.policies.add(strimziListenerPolicy(kafka));
        }
        network.policies.addAll(manifests.all(NetworkPolicy.class));
        return network;
    }

    /** What Strimzi writes for a cluster's nodes: each listener's port, from its networkPolicyPeers or anyone. */
    private static NetworkPolicy strimziListenerPolicy(Kafka kafka) {
        var rules = kafka.listeners().stream().filter(l -> l.port() != null)
                .map(l -> new NetworkPolicyIngressRuleBuilder()
                        .addNewPort().withPort(new IntOrString(l.port())).withProtocol("TCP").endPort()
                        .withFrom(l.networkPolicyPeers() == null ? List.of() : l.networkPolicyPeers()).build())
                .toList();
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(kafka.metadata().getName() + "-network-policy-kafka")
                .withNamespace(kafka.metadata().getNamespace()).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(kafka.nodePodLabels()).endPodSelector()
                .withPolicyTypes(INGRESS).withIngress(rules).endSpec()
                .build();
    }

    public List<Pod> pods() {
        return List.copyOf(pods);
    }

    public Optional<Pod> podOf(Workload workload) {
        return pods.stream().filter(p -> p.workload() != null && p.workload().owner() == workload.owner()).findFirst();
    }

    /** The policy types of a policy: as written, or as the API server defaults them (Ingress, Egress if it has rules). */
    static List<String> types(NetworkPolicy policy) {
        if (policy.getSpec().getPolicyTypes() != null && !policy.getSpec().getPolicyTypes().isEmpty()) {
            return policy.getSpec().getPolicyTypes();
        }
        return policy.getSpec().getEgress() == null || policy.getSpec().getEgress().isEmpty()
                ? List.of(INGRESS) : List.of(INGRESS, EGRESS);
    }

    /** An empty selector selects every pod. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return Labels.isEmpty(selector) || Labels.selects(selector, labels);
    }

    List<Pod> selectedBy(NetworkPolicy policy) {
        return pods.stream().filter(p -> Objects.equals(p.namespace(), policy.getMetadata().getNamespace()))
                .filter(p -> matches(policy.getSpec().getPodSelector(), p.labels())).toList();
    }

    /** The policies of this type that select the pod. */
    Stream<NetworkPolicy> policiesOf(Pod pod, String type) {
        return policies.stream().filter(p -> types(p).contains(type)).filter(p -> selectedBy(p).contains(pod));
    }

    boolean isIsolated(Pod pod, String type) {
        return policiesOf(pod, type).findAny().isPresent();
    }

    private Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> labels = new HashMap<>(manifests.find(Namespace.class, null, namespace)
                .map(ns -> ns.getMetadata().getLabels()).filter(Objects::nonNull).orElse(Map.of()));
        labels.put(NAMESPACE_NAME_LABEL, namespace);
        return labels;
    }

    /** Whether a peer of a policy in {@code policyNamespace} names the pod. */
    boolean peerSelects(NetworkPolicyPeer peer, String policyNamespace, Pod pod) {
        if (peer.getIpBlock() != null) {
            return false;
        }
        boolean namespaceMatches = peer.getNamespaceSelector() == null
                ? Objects.equals(policyNamespace, pod.namespace())
                : matches(peer.getNamespaceSelector(), namespaceLabels(pod.namespace()));
        return namespaceMatches && matches(peer.getPodSelector(), pod.labels());
    }

    /** Whether a peer may be something outside the policy's namespace: an address block or other namespaces. */
    boolean peerReachesOutside(NetworkPolicyPeer peer, String policyNamespace) {
        return peer.getIpBlock() != null || (peer.getNamespaceSelector() != null
                && !selectsOnly(peer.getNamespaceSelector(), policyNamespace));
    }

    private static boolean selectsOnly(LabelSelector namespaces, String namespace) {
        Map<String, String> byName = namespaces.getMatchLabels();
        return Workload.nonNull(namespaces.getMatchExpressions()).isEmpty() && byName != null
                && namespace.equals(byName.get(NAMESPACE_NAME_LABEL));
    }

    /** Whether a rule's port list lets TCP in on the pod's port {@code port} (no list: every port). */
    static boolean portAllows(List<NetworkPolicyPort> ports, Pod pod, int port) {
        return ports == null || ports.isEmpty() || ports.stream().anyMatch(p -> portAllows(p, pod, port));
    }

    static boolean portAllows(NetworkPolicyPort allowed, Pod pod, int port) {
        if (allowed.getProtocol() != null && !allowed.getProtocol().equals("TCP")) {
            return false;
        }
        if (allowed.getPort() == null) {
            return true;
        }
        if (allowed.getEndPort() != null && allowed.getPort().getIntVal() != null) {
            return allowed.getPort().getIntVal() <= port && port <= allowed.getEndPort();
        }
        return pod != null ? pod.resolve(allowed.getPort()).filter(p -> p == port).isPresent()
                : Objects.equals(allowed.getPort().getIntVal(), port);
    }

    /** Whether {@code from}'s egress lets it connect to {@code to} on {@code port}. */
    boolean allowsEgress(Pod from, Pod to, int port) {
        return allows(from, EGRESS, to, port, (peer, namespace) -> peerSelects(peer, namespace, to));
    }

    /** Whether {@code to}'s ingress lets {@code from} connect to it on {@code port}. */
    boolean allowsIngress(Pod to, Pod from, int port) {
        return allows(to, INGRESS, to, port, (peer, namespace) -> peerSelects(peer, namespace, from));
    }

    /** Whether {@code from}'s egress lets it connect out of the namespace on {@code port}. */
    boolean allowsEgressOutside(Pod from, int port) {
        return allows(from, EGRESS, null, port, this::peerReachesOutside);
    }

    /**
     * Whether the pod is not isolated in this direction, or a rule of a policy selecting it allows the port (of
     * {@code portOwner}, the pod at the receiving end; null outside) and has no peers or a peer that matches.
     */
    private boolean allows(Pod pod, String type, Pod portOwner, int port, BiPredicate<NetworkPolicyPeer, String> peer) {
        return !isIsolated(pod, type) || policiesOf(pod, type).anyMatch(policy -> rules(policy, type).stream()
                .anyMatch(rule -> portAllows(rule.ports(), portOwner, port) && (rule.peers().isEmpty()
                        || rule.peers().stream().anyMatch(p -> peer.test(p, policy.getMetadata().getNamespace())))));
    }

    /** A rule of either direction: the peers it names (none: any) and its ports (none: every port). */
    record Rule(List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {}

    static List<Rule> rules(NetworkPolicy policy, String type) {
        return type.equals(INGRESS)
                ? Workload.nonNull(policy.getSpec().getIngress()).stream()
                        .map(r -> new Rule(Workload.nonNull(r.getFrom()), Workload.nonNull(r.getPorts()))).toList()
                : Workload.nonNull(policy.getSpec().getEgress()).stream()
                        .map(r -> new Rule(Workload.nonNull(r.getTo()), Workload.nonNull(r.getPorts()))).toList();
    }

    /** Every rule that lets something outside the namespace connect to the pod, and on which port. */
    public List<OutsideIngress> ingressFromOutside(Pod pod) {
        List<OutsideIngress> found = new ArrayList<>();
        policiesOf(pod, INGRESS).forEach(policy -> rules(policy, INGRESS).forEach(rule -> {
            List<String> sources = rule.peers().isEmpty() ? List.of("anyone")
                    : rule.peers().stream().filter(peer -> peerReachesOutside(peer, policy.getMetadata().getNamespace()))
                            .map(PodNetwork::describe).toList();
            List<Integer> ports = rule.ports().isEmpty() ? List.of(-1)
                    : rule.ports().stream().map(p -> p.getPort() == null ? -1 : pod.resolve(p.getPort()).orElse(-1)).toList();
            sources.forEach(source -> ports.forEach(port -> found.add(new OutsideIngress(source, port))));
        }));
        return found;
    }

    static String describe(NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            return "addresses " + peer.getIpBlock().getCidr();
        }
        String pods = peer.getPodSelector() == null ? "all pods" : "pods " + selector(peer.getPodSelector());
        return peer.getNamespaceSelector() == null ? pods
                : pods + " of namespaces " + selector(peer.getNamespaceSelector());
    }

    static String selector(LabelSelector selector) {
        if (Labels.isEmpty(selector)) {
            return "{}";
        }
        String labels = selector.getMatchLabels() == null ? "" : selector.getMatchLabels().toString();
        return Workload.nonNull(selector.getMatchExpressions()).isEmpty() ? labels
                : labels + Workload.nonNull(selector.getMatchExpressions()).stream()
                        .map(e -> e.getKey() + " " + e.getOperator() + " " + e.getValues()).toList();
    }

    /** Where the workload's containers connect, read from their environment. */
    public List<Connection> connections(Workload workload) {
        List<Connection> connections = new ArrayList<>();
        workload.containers().forEach(container -> ContainerEnvironment.of(manifests, workload.namespace(), container)
                .forEach((variable, value) -> {
                    if (value == null) {
                        return;
                    }
                    if (variable.equals(KafkaBootstrap.VARIABLE)) {
                        for (String server : value.split(",")) {
                            KafkaBootstrap.parse(server.strip()).flatMap(b -> kafkaConnection(workload, b))
                                    .ifPresent(connections::add);
                        }
                    } else {
                        urlConnection(workload, variable, value).ifPresent(connections::add);
                    }
                }));
        return connections;
    }

    private Optional<Connection> kafkaConnection(Workload workload, KafkaBootstrap bootstrap) {
        String address = bootstrap.host() + ":" + bootstrap.port();
        if (bootstrap.isOutside()) {
            return Optional.of(new Connection(KafkaBootstrap.VARIABLE, address, List.of(), bootstrap.port()));
        }
        return bootstrap.cluster(manifests, workload.namespace()).map(kafka -> new Connection(KafkaBootstrap.VARIABLE,
                address, pods.stream().filter(p -> p.labels().equals(kafka.nodePodLabels())).toList(),
                bootstrap.port()));
    }

    /** A URL's host is a Service of the namespace (its pods, on the port its port targets) or outside. */
    private Optional<Connection> urlConnection(Workload workload, String variable, String value) {
        Matcher url = URL.matcher(value);
        if (!url.find()) {
            return Optional.empty();
        }
        String host = url.group(2);
        Integer port = url.group(3) != null ? Integer.valueOf(url.group(3)) : DEFAULT_PORTS.get(url.group(1));
        if (port == null) {
            return Optional.empty();
        }
        String address = host + ":" + port;
        Optional<Service> service = host.contains(".") ? Optional.empty()
                : manifests.find(Service.class, workload.namespace(), host);
        if (service.isEmpty() || service.get().getSpec().getSelector() == null) {
            // Outside, or an ExternalName Service: the address is outside the namespace.
            return host.contains(".") || service.isPresent()
                    ? Optional.of(new Connection(variable, address, List.of(), port)) : Optional.empty();
        }
        List<Pod> behind = pods.stream().filter(p -> Objects.equals(p.namespace(), workload.namespace()))
                .filter(p -> Labels.selects(service.get().getSpec().getSelector(), p.labels())).toList();
        IntOrString target = Workload.nonNull(service.get().getSpec().getPorts()).stream()
                .filter(p -> p.getPort() == port.intValue()).map(ServicePort::getTargetPort).filter(Objects::nonNull)
                .findFirst().orElse(new IntOrString(port));
        int podPort = behind.stream().map(p -> p.resolve(target)).flatMap(Optional::stream).findFirst().orElse(port);
        return Optional.of(new Connection(variable, address, behind, podPort));
    }
}
