package dev.anvil.service.kafka;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.events.Topics;
import dev.anvil.events.testing.InProcessKafka;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The in-process broker and the config mapping as the helper's tests need them, without a Quarkus application. */
final class KafkaTesting {

    private KafkaTesting() {
    }

    /** {@link KafkaConfig} with its documented defaults, overridden by {@code keyValues} (key, value, key, ...). */
    static KafkaConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) values.put(keyValues[i], keyValues[i + 1]);
        return new SmallRyeConfigBuilder().withMapping(KafkaConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 400))
                .build().getConfigMapping(KafkaConfig.class);
    }

    /** A fresh topic of one partition (one order to check) and its dead-letter topic. */
    static String newTopic() throws Exception {
        String topic = "kit-" + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1),
                    new NewTopic(Topics.deadLetter(topic), 1, (short) 1))).all().get();
        }
        return topic;
    }

    /** The offset {@code group} committed on the topic's only partition, -1 when none. */
    static long committed(String group, String topic) throws Exception {
        try (Admin admin = admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    static String json(EventData data) {
        return EventCodec.toJson(Envelope.wrap("anvil/test", data));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers()));
    }
}
