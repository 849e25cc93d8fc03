package dev.anvil.k8s.check;

import dev.anvil.k8s.check.PodNetwork.Connection;
import dev.anvil.k8s.check.PodNetwork.Pod;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every pod is isolated both ways, and the NetworkPolicies allow exactly the connections the workloads make. Each
 * workload is selected by a policy of type Ingress and one of type Egress (a default deny). Every connection a
 * workload makes ({@link PodNetwork#connections}: its Kafka bootstrap, the Services of the URLs in its environment)
 * is allowed by its egress and by the ingress of the pods it reaches (including the policy Strimzi writes for its
 * Kafka nodes from the listeners' networkPolicyPeers). Each egress rule is needed: every peer and port it allows a
 * workload is one of that workload's connections, except the DNS rule (port 53 only). Policies and in-namespace
 * peers select pods that exist.
 */
public final class NetworkPolicyCheck implements Check {

    private static final int DNS_PORT = 53;

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        PodNetwork network = PodNetwork.of(manifests);
        for (NetworkPolicy policy : manifests.all(NetworkPolicy.class)) {
            checkSelectors(network, policy, problems);
        }
        for (Workload workload : Workload.all(manifests)) {
            Pod pod = network.podOf(workload).orElseThrow();
            for (String type : List.of(PodNetwork.INGRESS, PodNetwork.EGRESS)) {
                if (!network.isIsolated(pod, type)) {
                    problems.add(new Problem(workload.describe(), "no NetworkPolicy of type " + type
                            + " selects its pods, so " + (type.equals(PodNetwork.INGRESS) ? "anything may connect to"
                            : "they may connect anywhere") + " (a default deny isolates every pod)"));
                }
            }
            List<Connection> connections = network.connections(workload);
            connections.forEach(connection -> checkAllowed(network, pod, connection, problems));
            manifests.all(NetworkPolicy.class).stream()
                    .filter(policy -> PodNetwork.types(policy).contains(PodNetwork.EGRESS))
                    .filter(policy -> network.selectedBy(policy).contains(pod))
                    .forEach(policy -> checkNeeded(network, policy, pod, connections, problems));
        }
        return problems;
    }

    private static void checkSelectors(PodNetwork network, NetworkPolicy policy, List<Problem> problems) {
        String id = Manifests.describe(policy);
        if (network.selectedBy(policy).isEmpty()) {
            problems.add(new Problem(id, "spec.podSelector " + PodNetwork.selector(policy.getSpec().getPodSelector())
                    + " selects no pod"));
        }
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        for (String type : List.of(PodNetwork.INGRESS, PodNetwork.EGRESS)) {
            PodNetwork.rules(policy, type).forEach(rule -> peers.addAll(rule.peers()));
        }
        for (NetworkPolicyPeer peer : peers) {
            boolean inNamespace = peer.getIpBlock() == null && peer.getNamespaceSelector() == null;
            if (inNamespace && network.pods().stream()
                    .noneMatch(pod -> network.peerSelects(peer, policy.getMetadata().getNamespace(), pod))) {
                problems.add(new Problem(id, "peer " + PodNetwork.describe(peer) + " selects no pod of namespace "
                        + policy.getMetadata().getNamespace()));
            }
        }
    }

    private static void checkAllowed(PodNetwork network, Pod from, Connection connection, List<Problem> problems) {
        String at = "connects to " + connection + " on port " + connection.port() + ", but ";
        if (connection.isOutside()) {
            if (!network.allowsEgressOutside(from, connection.port())) {
                problems.add(new Problem(from.name(), at + "no NetworkPolicy lets it out of the namespace there"));
            }
            return;
        }
        for (Pod to : connection.to()) {
            if (!network.allowsEgress(from, to, connection.port())) {
                problems.add(new Problem(from.name(), at + "no NetworkPolicy allows its egress to " + to.name()));
            }
            if (!network.allowsIngress(to, from, connection.port())) {
                problems.add(new Problem(from.name(), at + "no NetworkPolicy lets it into " + to.name()));
            }
        }
    }

    /** Each peer and port an egress rule allows the pod must be one of its connections (DNS aside). */
    private static void checkNeeded(PodNetwork network, NetworkPolicy policy, Pod pod, List<Connection> connections,
            List<Problem> problems) {
        String namespace = policy.getMetadata().getNamespace();
        List<PodNetwork.Rule> rules = PodNetwork.rules(policy, PodNetwork.EGRESS);
        for (int i = 0; i < rules.size(); i++) {
            PodNetwork.Rule rule = rules.get(i);
            List<NetworkPolicyPort> ports = rule.ports();
            if (!ports.isEmpty() && ports.stream().allMatch(p -> p.getPort() != null
                    && Objects.equals(p.getPort().getIntVal(), DNS_PORT))) {
                continue;
            }
            String at = "egress rule " + (i + 1) + " lets " + pod.name() + " connect to ";
            List<NetworkPolicyPeer> peers = rule.peers().isEmpty() ? Arrays.asList((NetworkPolicyPeer) null) : rule.peers();
            if (ports.isEmpty()) {
                problems.add(new Problem(Manifests.describe(policy), at + "any port: name the ports it needs"));
                continue;
            }
            for (NetworkPolicyPeer peer : peers) {
                for (NetworkPolicyPort port : ports) {
                    boolean needed = connections.stream().anyMatch(c -> serves(network, peer, namespace, port, c));
                    if (!needed) {
                        problems.add(new Problem(Manifests.describe(policy), at
                                + (peer == null ? "anywhere" : PodNetwork.describe(peer)) + " on port "
                                + Ports.text(port.getPort()) + ", which none of its connections " + connections + " needs"));
                    }
                }
            }
        }
    }

    /** Whether the peer (null: anywhere) and port of an egress rule carry the connection. */
    private static boolean serves(PodNetwork network, NetworkPolicyPeer peer, String namespace, NetworkPolicyPort port,
            Connection connection) {
        if (connection.isOutside()) {
            return PodNetwork.portAllows(port, null, connection.port())
                    && (peer == null || network.peerReachesOutside(peer, namespace));
        }
        return peer != null && connection.to().stream().anyMatch(to -> PodNetwork.portAllows(port, to, connection.port())
                && network.peerSelects(peer, namespace, to));
    }
}
