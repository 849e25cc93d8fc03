package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.ManifestValidator;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.service.KafkaUsage;
import dev.anvil.k8s.service.ServiceModule;
import dev.anvil.k8s.strimzi.KafkaUser;
import dev.anvil.k8s.strimzi.KafkaUser.AclResource;
import dev.anvil.k8s.strimzi.KafkaUser.AclRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who may do what: each service's Kafka ACLs are derived from its code, and the contract refuses what the validator
 * cannot know is too much for Anvil (a valid ACL the service does not need, a valid policy that opens a service to
 * the outside).
 */
class AccessContractTest {

    @Test
    void aServicesKafkaUsageIsReadFromItsCode() {
        KafkaUsage trainer = usage("trainer-service");
        assertEquals(Set.of("training.requests"), trainer.consumed());
        assertEquals(Set.of("trainer-service"), trainer.groups());
        assertEquals(Set.of("training.events", "training.requests"), trainer.produced());
        assertEquals(Set.of("training.requests.dlq"), trainer.deadLetterTopics());

        KafkaUsage gateway = usage("inference-gateway");
        assertEquals(Set.of("training.events", "evaluation.events"), gateway.consumed());
        assertEquals(Set.of("inference-gateway"), gateway.groups());
        assertEquals(Set.of("model.events", "drift.events"), gateway.produced());

        KafkaUsage dataset = usage("dataset-service");
        assertEquals(Set.of("training.requests", "drift.events", "training.events", "evaluation.events",
                "model.events"), dataset.consumed());
        assertEquals(Set.of("dataset-service"), dataset.groups());
        assertEquals(Set.of("dataset.events", "training.requests"), dataset.produced());
    }

    /** Write on an existing topic is a valid ACL, but one the dataset-service's code never uses. */
    @Test
    void refusesAnAclTheServiceDoesNotNeed() {
        Manifests base = ManifestSources.rendered("base");
        KafkaUser dataset = base.find(KafkaUser.class, "anvil", "dataset-service").orElseThrow();
        List<AclRule> acls = new ArrayList<>(dataset.acls());
        acls.add(new AclRule(new AclResource("topic", "training.events", "literal"), List.of("Write"), null, null));
        KafkaUser wider = new KafkaUser(dataset.apiVersion(), dataset.kind(), dataset.metadata(),
                new KafkaUser.Spec(dataset.spec().authentication(), new KafkaUser.Authorization("simple", acls)));
        Manifests widened = replaced(base, dataset, wider);

        assertEquals(List.of(), ManifestValidator.validate(widened));
        AssertionError refused = assertThrows(AssertionError.class,
                () -> AnvilContract.assertKafkaUsers(widened, "anvil"));
        assertTrue(refused.getMessage().contains("Write topic training.events"), refused.getMessage());
    }

    /** A valid policy that lets anyone call the eval-service: only the gateway may be reached from outside. */
    @Test
    void refusesIngressFromOutsideToAnyServiceButTheGateway() {
        Manifests base = ManifestSources.rendered("base");
        NetworkPolicy open = new NetworkPolicyBuilder()
                .withNewMetadata().withName("eval-service-ingress").withNamespace("anvil").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app.kubernetes.io/name", "eval-service")
                .endPodSelector().withPolicyTypes("Ingress").addNewIngress().addNewPort()
                .withNewPort(8083).endPort().endIngress().endSpec()
                .build();
        List<Object> resources = new ArrayList<>(base.resources());
        resources.add(open);
        Manifests opened = new Manifests(resources, List.of());

        assertEquals(List.of(), ManifestValidator.validate(opened));
        AssertionError refused = assertThrows(AssertionError.class,
                () -> AnvilContract.assertNetworkAccess(opened, "anvil"));
        assertTrue(refused.getMessage().contains("anyone on 8083"), refused.getMessage());
    }

    private static KafkaUsage usage(String service) {
        return KafkaUsage.of(ManifestSources.repository(),
                ServiceModule.ofImage(ManifestSources.repository(), "anvil/" + service + ":0.1.0"),
                AnvilContract.FORWARDED_TOPICS.getOrDefault(service, Set.of()));
    }

    private static Manifests replaced(Manifests manifests, Object old, Object replacement) {
        return new Manifests(manifests.resources().stream().map(r -> r == old ? replacement : r).toList(), List.of());
    }
}
