package dev.anvil.k8s.service;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service does on Kafka, read from its main sources: the topics it consumes and the consumer groups it
 * consumes them in (service-kit's {@code consumers.start(name, Topics.X, GROUP, handler)}), and the topics of the
 * message types it constructs ({@code new TrainingStarted(...)}), each type's topic as the events module's
 * MessageTypes gives it. A consumer also writes the dead letters of what it consumes ({@code <topic>.dlq}).
 */
public record KafkaUsage(Set<String> produced, Set<String> consumed, Set<String> groups) {

    private static final String EVENTS_SOURCES = "events/src/main/java/dev/anvil/events/";
    private static final Pattern TOPIC_CONSTANT = Pattern.compile("public static final String (\\w+) = \"([^\"]+)\";");
    private static final Pattern MESSAGE_TOPIC = Pattern.compile("of\\((\\w+)\\.class, Topics\\.(\\w+)\\)");
    private static final Pattern CONSUMER = Pattern.compile("\\.start\\(\\s*\\w+,\\s*Topics\\.(\\w+),\\s*(\\w+)\\s*,");

    public KafkaUsage {
        produced = Set.copyOf(produced);
        consumed = Set.copyOf(consumed);
        groups = Set.copyOf(groups);
    }

    /**
     * The usage of the module's code, plus {@code forwarded}: topics it writes messages to that it does not construct
     * but passes on (the trainer's POST /jobs publishes the request it was given).
     */
    public static KafkaUsage of(Path repository, ServiceModule module, Set<String> forwarded) {
        Map<String, String> topics = new HashMap<>();
        Matcher constant = TOPIC_CONSTANT.matcher(ServiceModule.read(repository.resolve(EVENTS_SOURCES + "Topics.java")));
        while (constant.find()) {
            topics.put(constant.group(1), constant.group(2));
        }
        Map<String, String> messageTopics = new HashMap<>();
        Matcher message = MESSAGE_TOPIC.matcher(ServiceModule.read(repository.resolve(EVENTS_SOURCES + "MessageTypes.java")));
        while (message.find()) {
            messageTopics.put(message.group(1), topic(topics, message.group(2)));
        }
        Set<String> produced = new TreeSet<>(forwarded);
        Set<String> consumed = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        for (String source : module.mainSources()) {
            messageTopics.forEach((type, topic) -> {
                if (Pattern.compile("new (dev\\.anvil\\.events\\.\\w+\\.)?" + type + "\\(").matcher(source).find()) {
                    produced.add(topic);
                }
            });
            Matcher consumer = CONSUMER.matcher(source);
            while (consumer.find()) {
                consumed.add(topic(topics, consumer.group(1)));
                groups.add(stringConstant(source, consumer.group(2)));
            }
        }
        return new KafkaUsage(produced, consumed, groups);
    }

    /** The dead-letter topics it writes: one per topic it consumes. */
    public Set<String> deadLetterTopics() {
        Set<String> deadLetters = new TreeSet<>();
        consumed.forEach(topic -> deadLetters.add(topic + ".dlq"));
        return deadLetters;
    }

    private static String topic(Map<String, String> topics, String constant) {
        String topic = topics.get(constant);
        if (topic == null) {
            throw new IllegalStateException("Topics." + constant + " is not a topic constant of " + EVENTS_SOURCES);
        }
        return topic;
    }

    private static String stringConstant(String source, String name) {
        Matcher value = Pattern.compile("static final String " + name + " = \"([^\"]+)\";").matcher(source);
        if (!value.find()) {
            throw new IllegalStateException("consumer group " + name + " is not a string constant of its class");
        }
        return value.group(1);
    }
}
