package dev.anvil.k8s.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM image Quarkus' Jib builds for a module (quarkus-container-image-jib), as its application.properties
 * configure it: the quarkus.container-image.* and quarkus.jib.* keys without a profile, Quarkus' default where a key
 * is left out, ${key} and ${key:default} expanded. The defaults are those of Quarkus 3.33's JibConfig.
 */
public record JibImage(Path path, Properties properties) implements ImageBuild {

    private static final String ENV = "quarkus.jib.environment-variables.";
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    public static JibImage of(ServiceModule module) {
        return new JibImage(module.applicationPropertiesPath(), module.applicationProperties());
    }

    /** group/name:tag, the name being the application's unless set. */
    public String reference() {
        String name = value("quarkus.container-image.name").orElseGet(() -> required("quarkus.application.name"));
        return required("quarkus.container-image.group") + "/" + name + ":" + required("quarkus.container-image.tag");
    }

    public String baseImage() {
        return required("quarkus.jib.base-jvm-image");
    }

    /** Whether a plain Maven build makes (or pushes) the image too. */
    public boolean builtByDefault() {
        return value("quarkus.container-image.build").map(Boolean::parseBoolean).orElse(false)
                || value("quarkus.container-image.push").map(Boolean::parseBoolean).orElse(false);
    }

    @Override
    public Optional<String> user() {
        return value("quarkus.jib.user");
    }

    @Override
    public Set<Integer> exposedPorts() {
        Set<Integer> ports = new TreeSet<>();
        for (String port : list(value("quarkus.jib.ports").orElseGet(() -> expand("${quarkus.http.port:8080}")))) {
            ports.add(Integer.parseInt(port));
        }
        return ports;
    }

    @Override
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().filter(key -> key.startsWith(ENV)).sorted()
                .forEach(key -> env.put(unquote(key.substring(ENV.length())), value(key).orElseThrow()));
        return env;
    }

    /** Quarkus' entrypoint for a fast-jar when none is configured: java, the JVM arguments, -jar quarkus-run.jar. */
    @Override
    public List<String> entrypoint() {
        if (properties.containsKey("quarkus.jib.jvm-entrypoint")) {
            return list(value("quarkus.jib.jvm-entrypoint").orElseThrow());
        }
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(list(value("quarkus.jib.jvm-arguments")
                .orElse("-Djava.util.logging.manager=org.jboss.logmanager.LogManager")));
        value("quarkus.jib.jvm-additional-arguments").map(JibImage::list).ifPresent(command::addAll);
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        return command;
    }

    private String required(String key) {
        return value(key).orElseThrow(() -> new AssertionError(path + " sets no " + key));
    }

    private Optional<String> value(String key) {
        String raw = properties.getProperty(key);
        return raw == null ? Optional.empty() : Optional.of(expand(raw));
    }

    private String expand(String text) {
        Matcher expression = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (expression.find()) {
            String fallback = expression.group(2);
            String value = value(expression.group(1)).orElseGet(() -> {
                if (fallback == null) {
                    throw new AssertionError(path + ": nothing sets " + expression.group(1));
                }
                return fallback;
            });
            expression.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return expression.appendTail(out).toString();
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String unquote(String key) {
        return key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
    }
}
