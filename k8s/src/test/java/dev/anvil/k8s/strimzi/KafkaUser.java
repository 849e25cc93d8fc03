package dev.anvil.k8s.strimzi;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Strimzi's {@code KafkaUser}: a client identity of a Kafka cluster, its credentials (which the User Operator
 * writes into a Secret of the user's name) and, with {@code simple} authorization, its ACLs.
 */
public record KafkaUser(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements StrimziResource {

    public static final String SCRAM_SHA_512 = "scram-sha-512";
    public static final String TLS = "tls";
    /** The key of a SCRAM user's Secret that holds the client's whole login (Kafka's sasl.jaas.config). */
    public static final String JAAS_CONFIG_KEY = "sasl.jaas.config";

    public record Spec(Authentication authentication, Authorization authorization) {}

    public record Authentication(String type) {}

    public record Authorization(String type, List<AclRule> acls) {}

    /** {@code type} allow (the default) or deny; {@code host} * (the default) or one address. */
    public record AclRule(AclResource resource, List<String> operations, String host, String type) {}

    /** {@code type} topic, group, cluster or transactionalId; {@code patternType} literal (the default) or prefix. */
    public record AclResource(String type, String name, String patternType) {}

    /** One operation on one resource, as Kafka's authorizer sees an ACL: "Write topic dataset.events". */
    public record Permission(String operation, String resourceType, String name, String patternType) {

        @Override
        public String toString() {
            return operation + " " + resourceType + " " + name + ("literal".equals(patternType) ? "" : " (" + patternType + ")");
        }
    }

    public String authenticationType() {
        return spec == null || spec.authentication() == null ? null : spec.authentication().type();
    }

    public String authorizationType() {
        return spec == null || spec.authorization() == null ? null : spec.authorization().type();
    }

    public List<AclRule> acls() {
        return spec == null || spec.authorization() == null || spec.authorization().acls() == null
                ? List.of() : spec.authorization().acls();
    }

    /** Everything the ACLs allow, one operation on one resource at a time (deny rules left out). */
    public Set<Permission> permissions() {
        Set<Permission> permissions = new LinkedHashSet<>();
        for (AclRule rule : acls()) {
            if ("deny".equals(rule.type()) || rule.resource() == null || rule.operations() == null) {
                continue;
            }
            String pattern = rule.resource().patternType() == null ? "literal" : rule.resource().patternType();
            rule.operations().forEach(operation -> permissions.add(
                    new Permission(operation, rule.resource().type(), rule.resource().name(), pattern)));
        }
        return permissions;
    }

    /** The Secret the User Operator writes this user's credentials into. */
    public String secretName() {
        return metadata.getName();
    }

    /** The keys of that Secret, by authentication type; none for a user whose credentials Strimzi does not make. */
    public Set<String> secretKeys() {
        return switch (String.valueOf(authenticationType())) {
            case SCRAM_SHA_512 -> Set.of("password", JAAS_CONFIG_KEY);
            case TLS -> Set.of("ca.crt", "user.crt", "user.key", "user.p12", "user.password");
            default -> Set.of();
        };
    }
}
