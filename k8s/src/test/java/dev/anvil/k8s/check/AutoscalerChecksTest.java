package dev.anvil.k8s.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.manifest.ManifestParser;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ScaledObjectCheck} and {@link PodMonitorCheck} prove themselves on a small set: a consumer scaled by KEDA
 * on its lag through a SCRAM listener, scraped by Prometheus. The set passes; each single mistake is reported in
 * words that name it.
 */
class AutoscalerChecksTest {

    private static final String CORRECT = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: events
              namespace: demo
            spec:
              kafka:
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
                            app: worker
                      - namespaceSelector:
                          matchLabels:
                            kubernetes.io/metadata.name: keda
                        podSelector:
                          matchLabels:
                            app.kubernetes.io/name: keda-operator
                authorization:
                  type: simple
              entityOperator:
                userOperator: {}
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata:
              name: jobs
              namespace: demo
              labels:
                strimzi.io/cluster: events
            spec:
              topicName: jobs
              partitions: 3
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaUser
            metadata:
              name: lag-reader
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
                      name: jobs
                    operations: [Describe]
                  - resource:
                      type: group
                      name: workers
                    operations: [Describe]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: lag-reader
              namespace: demo
            data:
              username: lag-reader
            ---
            apiVersion: keda.sh/v1alpha1
            kind: TriggerAuthentication
            metadata:
              name: lag-reader
              namespace: demo
            spec:
              configMapTargetRef:
                - parameter: username
                  name: lag-reader
                  key: username
              secretTargetRef:
                - parameter: password
                  name: lag-reader
                  key: password
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: worker
              namespace: demo
            spec:
              selector:
                matchLabels:
                  app: worker
              template:
                metadata:
                  labels:
                    app: worker
                spec:
                  containers:
                    - name: worker
                      image: demo/worker:1
                      ports:
                        - name: http
                          containerPort: 8080
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: worker
              namespace: demo
            spec:
              scaleTargetRef:
                name: worker
              minReplicaCount: 1
              maxReplicaCount: 3
              triggers:
                - type: kafka
                  metadata:
                    bootstrapServers: events-kafka-bootstrap:9092
                    consumerGroup: workers
                    topic: jobs
                    lagThreshold: "5"
                    sasl: scram_sha512
                  authenticationRef:
                    name: lag-reader
                - type: prometheus
                  metadata:
                    serverAddress: http://prometheus.monitoring.svc:9090
                    query: sum(jobs_waiting{namespace="demo"})
                    threshold: "2"
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: PodMonitor
            metadata:
              name: worker
              namespace: demo
            spec:
              selector:
                matchLabels:
                  app: worker
              podMetricsEndpoints:
                - port: http
                  path: /q/metrics
            """;

    @Test
    void acceptsTheCorrectSet() {
        assertEquals(List.of(), problems(CORRECT));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pinned replicas          | spec:\\n  selector:\\n    matchLabels:\\n      app: worker\\n  template: | spec:\\n  replicas: 2\\n  selector:\\n    matchLabels:\\n      app: worker\\n  template: | sets spec.replicas 2
            missing target           | scaleTargetRef:\\n    name: worker | scaleTargetRef:\\n    name: wroker | scaleTargetRef apps/v1 Deployment wroker does not exist
            maximum below minimum    | maxReplicaCount: 3 | maxReplicaCount: 0 | maxReplicaCount 0 is below minReplicaCount 1
            more pods than partitions | maxReplicaCount: 3 | maxReplicaCount: 4 | maxReplicaCount 4 exceeds the 3 partitions of jobs
            unknown topic            | topic: jobs | topic: job | topic job is no KafkaTopic of Kafka events
            unknown bootstrap        | events-kafka-bootstrap:9092 | events-kafka-bootstrap:9093 | is no listener of a Kafka cluster
            no sasl                  | sasl: scram_sha512 | sasl: plaintext | set sasl: scram_sha512, not plaintext
            KEDA not admitted        | app.kubernetes.io/name: keda-operator | app.kubernetes.io/name: keda | do not admit KEDA's operator
            no authentication        | authenticationRef:\\n        name: lag-reader | authenticationRef:\\n        name: reader | authenticationRef must name a TriggerAuthentication
            unknown user             | username: lag-reader | username: reader | must give the username of a KafkaUser
            password of another      | key: password | key: sasl.jaas.config | must read password from key password of Secret lag-reader
            lag reader without group | name: workers\\n        operations: [Describe] | name: worker\\n        operations: [Describe] | may not describe group workers
            bad lag threshold        | lagThreshold: "5" | lagThreshold: "five" | lagThreshold five is no positive number
            zero threshold           | threshold: "2" | threshold: "0" | threshold 0 is no positive number
            missing ConfigMap key    | key: username | key: user | parameter username: ConfigMap lag-reader has no key user
            PodMonitor selects none  | app: worker\\n  podMetricsEndpoints | app: wroker\\n  podMetricsEndpoints | spec.selector selects no pods
            PodMonitor port unknown  | - port: http | - port: metrics | has no container port named metrics
            relative metrics path    | path: /q/metrics | path: q/metrics | path q/metrics is not absolute
            """)
    void reportsEachMistake(String mistake, String correct, String wrong, String expected) {
        String broken = CORRECT.replace(correct.replace("\\n", "\n"), wrong.replace("\\n", "\n"));
        assertTrue(!broken.equals(CORRECT), mistake + ": the test's replacement matched nothing");

        String report = problems(broken).stream().map(Problem::toString).collect(Collectors.joining("\n"));

        assertTrue(report.contains(expected), mistake + ": expected '" + expected + "' in:\n" + report);
    }

    @Test
    void reportsAnHpaOnTheSameTarget() {
        String withHpa = CORRECT + """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: worker
                  namespace: demo
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: worker
                  maxReplicas: 3
                """;

        String report = problems(withHpa).toString();

        assertTrue(report.contains("HorizontalPodAutoscaler demo/worker scales Deployment demo/worker too"), report);
    }

    @Test
    void reportsAMisspelledScaledObjectField() {
        String report = problems(CORRECT.replace("minReplicaCount: 1", "minReplicas: 1")).toString();

        assertTrue(report.contains("unknown field spec.minReplicas"), report);
    }

    private static List<Problem> problems(String yaml) {
        Manifests manifests = ManifestParser.parse(yaml, "test");
        List<Problem> problems = new ArrayList<>(manifests.readProblems());
        problems.addAll(new ScaledObjectCheck().check(manifests));
        problems.addAll(new PodMonitorCheck().check(manifests));
        return problems;
    }
}
