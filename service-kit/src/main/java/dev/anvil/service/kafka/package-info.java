/**
 * The suite's one way to talk to Kafka (docs/events.md, "Kafka conventions"): {@link dev.anvil.service.kafka.EventProducer}
 * sends, {@link dev.anvil.service.kafka.EventConsumers#start} reads a topic with an
 * {@link dev.anvil.service.kafka.EventHandler}, and {@link dev.anvil.service.kafka.KafkaClientSettings} holds the
 * settings both use: acks=all, idempotence, timeouts from {@link dev.anvil.service.kafka.KafkaConfig}. Both count
 * what they do on the service's Micrometer registry ({@code anvil.kafka.*}, docs/metrics.md), so every service
 * gets the same Kafka meters without a line of its own, and both carry the current trace through record headers
 * ({@link dev.anvil.service.kafka.KafkaTracing}, docs/tracing.md), so a message's handling continues its sender's
 * trace.
 *
 * <p>Plain Kafka clients rather than SmallRye Reactive Messaging, because of what a consumer must do here. The
 * trainer commits a request's offset only after the job is in its database, and when that write fails (database
 * or broker down) it must rewind to that very record and try it again after a pause, neither skipping it nor
 * spinning. Messaging's commit strategies acknowledge asynchronously and its failure strategies either skip the
 * message ({@code ignore}, {@code dead-letter-queue}) or stop the channel ({@code fail}); retrying the same record
 * in place takes a nack-and-retry interplay that is harder to read than the one small {@link
 * dev.anvil.service.kafka.ConsumerLoop}. Dead letters need the reason of the codec, which the handler-free loop
 * has at hand. The producers wait for each acknowledgement (an outbox row is marked sent only then), which is the
 * plain client's {@code send().get()}.
 */
package dev.anvil.service.kafka;
