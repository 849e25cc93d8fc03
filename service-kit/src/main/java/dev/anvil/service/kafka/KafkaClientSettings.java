package dev.anvil.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Map;
import java.util.Properties;

/**
 * The one place where the suite's Kafka client settings are written down. Every client starts from the service's
 * {@code kafka.*} configuration, as Quarkus hands it to its own Kafka clients (prefix removed: {@code
 * kafka.security.protocol} is {@code security.protocol}), so that settings such as SASL credentials reach these
 * clients too; the suite's own settings below are put on top, so its guarantees cannot be configured away.
 */
final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    /**
     * Every producer: acknowledged by all in-sync replicas and idempotent, so an acknowledged message is durable and
     * a retried send is not written twice; each wait bounded by {@code config}.
     */
    static Properties producer(String bootstrapServers, String clientId, KafkaConfig config,
                               Map<String, ?> clientConfig) {
        if (config.deliveryTimeout().compareTo(config.requestTimeout()) < 0) {
            throw new IllegalArgumentException("anvil.kafka.delivery-timeout (" + config.deliveryTimeout()
                    + ") must be at least anvil.kafka.request-timeout (" + config.requestTimeout() + ")");
        }
        Properties props = common(bootstrapServers, config, clientConfig);
        // Quarkus adds the application's name as group.id; a producer has no group, and would log it as unknown.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.maxBlock().toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0); // every caller waits for its acknowledgement anyway
        return props;
    }

    /**
     * Every consumer: offsets committed by the consumer loop only after the handler succeeded, and a new group
     * starts at the oldest message, so nothing written before the first start is missed.
     */
    static Properties consumer(String bootstrapServers, String groupId, KafkaConfig config,
                               Map<String, ?> clientConfig) {
        Properties props = common(bootstrapServers, config, clientConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Few records per poll: each may take a database write, and all must be handled within max.poll.interval.ms.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis());
        return props;
    }

    private static Properties common(String bootstrapServers, KafkaConfig config, Map<String, ?> clientConfig) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.requestTimeout().toMillis());
        // While the broker is away, reconnect (and log about it) every few seconds rather than every second.
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
        return props;
    }
}
