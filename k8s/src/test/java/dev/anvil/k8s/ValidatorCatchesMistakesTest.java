package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.ManifestValidator;
import dev.anvil.k8s.manifest.ManifestParser;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.render.KustomizationFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator proves itself: a small correct manifest set passes, and each single mistake made in it is reported
 * with words that name the mistake. Mistakes that need more than the small set (a database server beside its
 * clients) are made in a copy of the base.
 */
class ValidatorCatchesMistakesTest {

    private static final String CORRECT = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: demo
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web-config
              namespace: demo
            data:
              KAFKA_BOOTSTRAP_SERVERS: events-kafka-bootstrap:9092
              KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT
              KAFKA_SASL_MECHANISM: SCRAM-SHA-512
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: web-db
              namespace: demo
            stringData:
              jdbc-url: jdbc:postgresql://db:5432/web
              username: web
              password: CHANGE-ME
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: web-data
              namespace: demo
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: demo
            spec:
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile:
                      type: RuntimeDefault
                  containers:
                    - name: web
                      image: anvil/web:1.0.0
                      imagePullPolicy: IfNotPresent
                      ports:
                        - name: http
                          containerPort: 8080
                      envFrom:
                        - configMapRef:
                            name: web-config
                      env:
                        - name: QUARKUS_DATASOURCE_JDBC_URL
                          valueFrom:
                            secretKeyRef:
                              name: web-db
                              key: jdbc-url
                        - name: QUARKUS_DATASOURCE_USERNAME
                          valueFrom:
                            secretKeyRef:
                              name: web-db
                              key: username
                        - name: QUARKUS_DATASOURCE_PASSWORD
                          valueFrom:
                            secretKeyRef:
                              name: web-db
                              key: password
                        - name: KAFKA_SASL_JAAS_CONFIG
                          valueFrom:
                            secretKeyRef:
                              name: web
                              key: sasl.jaas.config
                      startupProbe:
                        httpGet:
                          path: /q/health/started
                          port: http
                      livenessProbe:
                        httpGet:
                          path: /q/health/live
                          port: http
                      readinessProbe:
                        httpGet:
                          path: /q/health/ready
                          port: 8080
                      resources:
                        requests:
                          cpu: 100m
                          memory: 128Mi
                        limits:
                          memory: 256Mi
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities:
                          drop: [ALL]
                      volumeMounts:
                        - name: data
                          mountPath: /data
                  volumes:
                    - name: data
                      persistentVolumeClaim:
                        claimName: web-data
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: demo
            spec:
              selector:
                app: web
              ports:
                - port: 80
                  targetPort: http
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: db
              namespace: demo
            spec:
              type: ExternalName
              externalName: db.example.org
              ports:
                - port: 5432
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: web
              namespace: demo
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: web
              minReplicas: 2
              maxReplicas: 3
              metrics:
                - type: Resource
                  resource:
                    name: cpu
                    target:
                      type: Utilization
                      averageUtilization: 80
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: web
              namespace: demo
            spec:
              minAvailable: 1
              selector:
                matchLabels:
                  app: web
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: events
              namespace: demo
            spec:
              kafka:
                version: 4.1.0
                listeners:
                  - name: plain
                    port: 9092
                    type: internal
                    tls: false
                    authentication:
                      type: scram-sha-512
                    networkPolicyPeers:
                      - podSelector:
                          matchLabels:
                            app: web
                authorization:
                  type: simple
                config:
                  default.replication.factor: 1
              entityOperator:
                topicOperator: {}
                userOperator: {}
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaNodePool
            metadata:
              name: pool
              namespace: demo
              labels:
                strimzi.io/cluster: events
            spec:
              replicas: 1
              roles: [controller, broker]
              storage:
                type: ephemeral
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata:
              name: web-events
              namespace: demo
              labels:
                strimzi.io/cluster: events
            spec:
              topicName: web.events
              partitions: 3
              replicas: 1
              config:
                min.insync.replicas: 1
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaUser
            metadata:
              name: web
              namespace: demo
              labels:
                strimzi.io/cluster: events
            spec:
              authentication:
                type: scram-sha-512
              authorization:
                type: simple
                acls:
                  - resource:
                      type: topic
                      name: web.events
                      patternType: literal
                    operations: [Write]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: default-deny
              namespace: demo
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: allow-dns
              namespace: demo
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
                - ports:
                    - protocol: UDP
                      port: 53
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: web
              namespace: demo
            spec:
              podSelector:
                matchLabels:
                  app: web
              policyTypes: [Ingress, Egress]
              ingress:
                - ports:
                    - port: http
              egress:
                - to:
                    - podSelector:
                        matchLabels:
                          strimzi.io/cluster: events
                          strimzi.io/kind: Kafka
                          strimzi.io/name: events-kafka
                  ports:
                    - port: 9092
                # The database behind the ExternalName Service db.
                - to:
                    - ipBlock:
                        cidr: 10.0.0.0/8
                  ports:
                    - port: 5432
            """;

    @Test
    void acceptsTheCorrectSet() {
        assertEquals(List.of(), ManifestValidator.validate(CORRECT, "correct"));
    }

    /** Without NetworkPolicies every pod may connect anywhere and be reached from anywhere. */
    @Test
    void reportsPodsNoNetworkPolicyIsolates() {
        String withoutPolicies = Stream.of(CORRECT.split("\n---\n"))
                .filter(document -> !document.contains("kind: NetworkPolicy")).collect(Collectors.joining("\n---\n"));

        String report = ManifestValidator.validate(withoutPolicies, "no policies").stream().map(Problem::toString)
                .collect(Collectors.joining("\n"));

        assertTrue(report.contains("Deployment demo/web: no NetworkPolicy of type Ingress selects its pods"), report);
        assertTrue(report.contains("Deployment demo/web: no NetworkPolicy of type Egress selects its pods"), report);
    }

    @Test
    void refusesAKeyGivenTwice() {
        String twice = CORRECT.replace("image: anvil/web:1.0.0", "image: anvil/web:1.0.0\n          image: anvil/web:2.0.0");

        var refused = assertThrows(UncheckedIOException.class, () -> ManifestValidator.validate(twice, "twice"));

        assertTrue(refused.getMessage().contains("Duplicate field 'image'"), refused.getMessage());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("Service name that is no host name", "kind: Service\nmetadata:\n  name: web\n",
                        "kind: Service\nmetadata:\n  name: web.api\n", "name 'web.api' must be a DNS label"),
                Arguments.of("topic name as resource name", "name: web-events", "name: web_events",
                        "name 'web_events' must be a DNS subdomain"),
                Arguments.of("port name too long", "- name: http\n", "- name: http-management-port\n",
                        "port name 'http-management-port' must be at most 15"),
                Arguments.of("misspelled container field", "imagePullPolicy:", "imagePullPolicyy:",
                        "unknown field(s) spec.template.spec.containers[0].imagePullPolicyy"),
                Arguments.of("field at the wrong level", "      securityContext:\n        runAsNonRoot",
                        "      securityContex:\n        runAsNonRoot",
                        "unknown field(s) spec.template.spec.securityContex"),
                Arguments.of("misspelled autoscaler field", "minReplicas: 2", "minReplica: 2",
                        "unknown field(s) spec.minReplica"),
                Arguments.of("value of the wrong type", "maxReplicas: 3", "maxReplicas: three",
                        "wrong value at spec.maxReplicas"),
                Arguments.of("unknown kind", "kind: Deployment\nmetadata", "kind: Deploymnet\nmetadata", "no typed model for apiVersion apps/v1 kind Deploymnet"),
                Arguments.of("selector that misses its pods", "matchLabels:\n      app: web\n  template",
                        "matchLabels:\n      app: webb\n  template",
                        "spec.selector {app=webb} does not match the pod template labels {app=web}"),
                Arguments.of("service that selects nothing", "selector:\n    app: web", "selector:\n    app: api",
                        "spec.selector {app=api} selects no pod template"),
                Arguments.of("service to an undeclared port", "targetPort: http", "targetPort: htp",
                        "port 80 targets htp, which no container of Deployment demo/web declares"),
                Arguments.of("missing Secret", "name: web-db\n  namespace", "name: web-secrets\n  namespace",
                        "env QUARKUS_DATASOURCE_JDBC_URL reads Secret web-db, which does not exist"),
                Arguments.of("missing Secret key", "key: jdbc-url", "key: jdbc-uri",
                        "reads key jdbc-uri of Secret web-db, which has no such key"),
                Arguments.of("missing ConfigMap", "name: web-config\n  namespace", "name: config\n  namespace",
                        "envFrom reads ConfigMap web-config, which does not exist"),
                Arguments.of("missing PersistentVolumeClaim", "claimName: web-data", "claimName: data",
                        "volume data claims PersistentVolumeClaim data, which does not exist"),
                Arguments.of("mount of an undeclared volume", "- name: data\n              mountPath",
                        "- name: cache\n              mountPath", "mounts volume cache, which the pod does not declare"),
                Arguments.of("probe on an undeclared port", "port: 8080", "port: 9090",
                        "readinessProbe uses port 9090, which the container does not declare"),
                Arguments.of("liveness on the readiness path", "path: /q/health/live", "path: /q/health/ready",
                        "livenessProbe must be an httpGet on /q/health/live, not /q/health/ready"),
                Arguments.of("autoscaler of a missing Deployment", "    name: web\n  minReplicas",
                        "    name: api\n  minReplicas", "scaleTargetRef apps/v1 Deployment api does not exist"),
                Arguments.of("container running as root", "runAsNonRoot: true", "runAsNonRoot: false",
                        "must set runAsNonRoot: true"),
                Arguments.of("unpinned image", "image: anvil/web:1.0.0", "image: anvil/web:latest",
                        "image 'anvil/web:latest' is not pinned"),
                Arguments.of("topic of another cluster", "    strimzi.io/cluster: events\nspec:\n  topicName",
                        "    strimzi.io/cluster: event\nspec:\n  topicName",
                        "label strimzi.io/cluster=event names no Kafka in namespace demo"),
                Arguments.of("misspelled Strimzi field", "partitions: 3", "partitons: 3",
                        "unknown field spec.partitons"),
                Arguments.of("misspelled node pool field", "  replicas: 1\n  roles", "  replica: 1\n  roles",
                        "unknown field spec.replica"),
                Arguments.of("misspelled Strimzi metadata", "  labels:\n    strimzi.io/cluster: events\nspec:\n  topicName",
                        "  lables:\n    strimzi.io/cluster: events\nspec:\n  topicName", "unknown field(s) metadata.lables"),
                Arguments.of("more topic replicas than brokers", "  replicas: 1\n  config", "  replicas: 2\n  config",
                        "spec.replicas 2 exceeds the 1 broker(s) of Kafka events"),
                Arguments.of("KRaft cluster without controllers", "roles: [controller, broker]", "roles: [broker]",
                        "no KafkaNodePool with the controller role"),
                Arguments.of("bootstrap of a missing cluster", "events-kafka-bootstrap:9092", "kafka-bootstrap:9092",
                        "names no Kafka cluster's bootstrap Service"),
                Arguments.of("bootstrap on the wrong port", "events-kafka-bootstrap:9092", "events-kafka-bootstrap:9093",
                        "Kafka events has no plain (non-TLS) listener on 9093"),
                Arguments.of("database URL of a missing Service", "jdbc:postgresql://db:5432", "jdbc:postgresql://pg:5432",
                        "names no Service pg in namespace demo"),
                Arguments.of("database login without a username", "- name: QUARKUS_DATASOURCE_USERNAME\n"
                        + "              valueFrom:\n                secretKeyRef:\n                  name: web-db\n"
                        + "                  key: username\n            ", "",
                        "QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD must both come from one Secret"),
                Arguments.of("password inlined in the workload", "valueFrom:\n                secretKeyRef:\n"
                        + "                  name: web-db\n                  key: password", "value: hunter2",
                        "env QUARKUS_DATASOURCE_PASSWORD must come from a Secret (secretKeyRef), not a literal value"),
                Arguments.of("disruption budget that selects nothing",
                        "  selector:\n    matchLabels:\n      app: web\n---", "  selector:\n    matchLabels:\n      app: api\n---",
                        "PodDisruptionBudget demo/web: spec.selector selects no pod template"),
                Arguments.of("disruption budget that keeps every pod", "minAvailable: 1", "minAvailable: 2",
                        "minAvailable 2 with 2 pod(s) selected: no pod may ever be evicted"),
                Arguments.of("container running as uid 0", "runAsNonRoot: true",
                        "runAsNonRoot: true\n        runAsUser: 0", "container web runs as root (runAsUser: 0)"),
                Arguments.of("container without a seccomp profile", "type: RuntimeDefault", "type: Unconfined",
                        "must set seccompProfile.type RuntimeDefault"),
                Arguments.of("ACL on a topic prefix", "patternType: literal", "patternType: prefix",
                        "too wide: name one topic literally, not a prefix or *"),
                Arguments.of("ACL with every operation", "operations: [Write]", "operations: [All]",
                        "too wide: [All] on a topic"),
                Arguments.of("ACL on the whole cluster", "type: topic\n          name: web.events",
                        "type: cluster\n          name: kafka-cluster", "too wide: a client needs ACLs on topics and"),
                Arguments.of("ACL on a topic that does not exist", "name: web.events\n          patternType",
                        "name: web.event\n          patternType", "topic web.event is no KafkaTopic of Kafka events"),
                Arguments.of("ACLs the cluster does not enforce", "    authorization:\n      type: simple\n    config",
                        "    config", "has simple ACLs but Kafka events does not enforce them"),
                Arguments.of("KafkaUser without a User Operator", "    userOperator: {}\n", "",
                        "Kafka events runs no User Operator"),
                Arguments.of("client that does not log in", "KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT",
                        "KAFKA_SECURITY_PROTOCOL: PLAINTEXT", "KAFKA_SECURITY_PROTOCOL must be SASL_PLAINTEXT"),
                Arguments.of("login from another Secret", "name: web\n                  key: sasl.jaas.config",
                        "name: web-db\n                  key: password",
                        "KAFKA_SASL_JAAS_CONFIG must come from the sasl.jaas.config key of the Secret of a"),
                Arguments.of("Kafka login inlined", "valueFrom:\n                secretKeyRef:\n"
                        + "                  name: web\n                  key: sasl.jaas.config",
                        "value: ScramLoginModule required username=web password=hunter2;",
                        "env KAFKA_SASL_JAAS_CONFIG must come from a Secret"),
                Arguments.of("NetworkPolicy of no pod", "  podSelector:\n    matchLabels:\n      app: web",
                        "  podSelector:\n    matchLabels:\n      app: api",
                        "NetworkPolicy demo/web: spec.podSelector {app=api} selects no pod"),
                Arguments.of("egress peer missing", "strimzi.io/kind: Kafka\n", "strimzi.io/kind: KafkaConnect\n",
                        "connects to events-kafka-bootstrap:9092 (KAFKA_BOOTSTRAP_SERVERS) on port 9092, but no"
                        + " NetworkPolicy allows its egress to Kafka nodes of Kafka demo/events"),
                Arguments.of("listener that does not admit the client", "app: web\n    authorization",
                        "app: api\n    authorization", "but no NetworkPolicy lets it into Kafka nodes of Kafka demo/events"),
                Arguments.of("egress wider than the connections", "        - port: 5432\n",
                        "        - port: 5432\n        - port: 6379\n",
                        "lets Deployment demo/web connect to addresses 10.0.0.0/8 on port 6379, which none of its"
                        + " connections"),
                Arguments.of("egress to anywhere", "    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n"
                        + "      ports:\n        - port: 5432\n", "    - ports:\n        - port: 5432\n"
                        + "    - ports:\n        - port: 443\n",
                        "connect to anywhere on port 443, which none of its connections"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void reportsTheMistake(String mistake, String correct, String wrong, String expectedProblem) {
        assertEquals(1, occurrences(CORRECT, correct), "the fixture must hold '" + correct + "' exactly once");
        String broken = CORRECT.replace(correct, wrong);

        List<Problem> problems = ManifestValidator.validate(broken, mistake);

        assertReported(expectedProblem, problems);
    }

    private static void assertReported(String expectedProblem, List<Problem> problems) {
        String report = problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
        assertTrue(report.contains(expectedProblem), () -> "expected a problem containing '" + expectedProblem
                + "', got:\n" + report);
    }

    /** One text replacement in a file of the base. */
    private record Edit(String file, String correct, String wrong) {}

    private static final String SECRET_REF = "\n                  key: ";

    /**
     * Database login mistakes need a database server beside its clients, as the base has: each is made in a copy of
     * the base, read without kubectl.
     */
    static Stream<Arguments> databaseLoginMistakes() {
        return Stream.of(
                Arguments.of("two services with one login's Secret", List.of(
                        new Edit("trainer-service/deployment.yaml", "name: anvil-postgres-trainer-service" + SECRET_REF
                                + "username", "name: anvil-postgres-dataset-service" + SECRET_REF + "username"),
                        new Edit("trainer-service/deployment.yaml", "name: anvil-postgres-trainer-service" + SECRET_REF
                                + "password", "name: anvil-postgres-dataset-service" + SECRET_REF + "password")),
                        "Secret anvil/anvil-postgres-dataset-service: is read by Deployment anvil/dataset-service,"
                        + " Deployment anvil/trainer-service: a database login must be one workload's alone"),
                Arguments.of("two logins with one username", List.of(new Edit("postgres/logins.yaml",
                        "username: " + base64("anvil_trainer"), "username: " + base64("anvil_dataset"))),
                        "all log in to anvil-postgres:5432 as anvil_dataset"),
                Arguments.of("a service logging in as the superuser", List.of(
                        new Edit("dataset-service/deployment.yaml", "name: anvil-postgres-dataset-service" + SECRET_REF
                                + "username", "name: anvil-postgres" + SECRET_REF + "username"),
                        new Edit("dataset-service/deployment.yaml", "name: anvil-postgres-dataset-service" + SECRET_REF
                                + "password", "name: anvil-postgres" + SECRET_REF + "password")),
                        "logs in with Secret anvil-postgres to StatefulSet anvil/anvil-postgres, as its superuser"),
                Arguments.of("a JDBC URL to another service's database", List.of(new Edit("postgres/logins.yaml",
                        "jdbc-url: " + base64("jdbc:postgresql://anvil-postgres:5432/anvil_trainer"),
                        "jdbc-url: " + base64("jdbc:postgresql://anvil-postgres:5432/anvil_eval"))),
                        "but no variable of the server from that Secret holds its JDBC URL's database anvil_eval"),
                Arguments.of("PostgreSQL not given a service's login", List.of(new Edit("postgres/statefulset.yaml",
                        "name: anvil-postgres-inference-gateway" + SECRET_REF + "username",
                        "name: anvil-postgres-eval-service" + SECRET_REF + "username")),
                        "logs in with Secret anvil-postgres-inference-gateway to StatefulSet anvil/anvil-postgres,"
                        + " which is not given that login (keys username and password)"),
                Arguments.of("an init script that skips a login", List.of(new Edit("postgres/init-configmap.yaml",
                        "    login \"$ANVIL_TRAINER_USERNAME\" \"$ANVIL_TRAINER_DATABASE\" ANVIL_TRAINER_PASSWORD\n",
                        "")),
                        "no line of its init scripts (/docker-entrypoint-initdb.d) passes on ANVIL_TRAINER_USERNAME,"
                        + " ANVIL_TRAINER_PASSWORD, ANVIL_TRAINER_DATABASE together"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databaseLoginMistakes")
    void reportsDatabaseLoginMistakesInTheBase(String mistake, List<Edit> edits, String expectedProblem,
            @TempDir Path copy) throws IOException {
        Path base = ManifestSources.k8sDir().resolve("base");
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(base.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Edit edit : edits) {
            Path file = copy.resolve(edit.file());
            String text = Files.readString(file);
            assertEquals(1, occurrences(text, edit.correct()),
                    edit.file() + " must hold '" + edit.correct() + "' exactly once");
            Files.writeString(file, text.replace(edit.correct(), edit.wrong()));
        }

        List<Problem> problems = ManifestValidator.validate(ManifestParser.parse(KustomizationFiles.read(copy)));

        assertReported(expectedProblem, problems);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The GPU (an extended resource) the fixture's container asks for: a request, a limit, or null for none. */
    private static String withGpu(String request, String limit) {
        String indent = " ".repeat(14);
        String set = CORRECT;
        if (request != null) {
            set = set.replace("memory: 128Mi\n", "memory: 128Mi\n" + indent + "nvidia.com/gpu: " + request + "\n");
        }
        if (limit != null) {
            set = set.replace("memory: 256Mi\n", "memory: 256Mi\n" + indent + "nvidia.com/gpu: " + limit + "\n");
        }
        return set;
    }

    @Test
    void acceptsAWholeGpuAsLimitOrAsEqualRequestAndLimit() {
        assertEquals(List.of(), ManifestValidator.validate(withGpu(null, "1"), "limit"));
        assertEquals(List.of(), ManifestValidator.validate(withGpu("2", "2"), "request and limit"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "GPU requested without a limit | 1   |     | requests nvidia.com/gpu without a limit",
            "GPU request above its limit   | 2   | 1   | request nvidia.com/gpu 2 differs from its limit 1",
            "a fraction of a GPU           |     | 500m | limit nvidia.com/gpu 500m must be a whole number"})
    void reportsGpuRequestsTheApiServerWouldRefuse(String mistake, String request, String limit, String expected) {
        List<Problem> problems = ManifestValidator.validate(withGpu(request, limit), mistake);

        assertEquals(1, problems.size(), problems::toString);
        assertEquals("Deployment demo/web", problems.get(0).resource());
        assertTrue(problems.get(0).message().contains(expected), problems.get(0).message());
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
