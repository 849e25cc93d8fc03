package dev.anvil.k8s.service;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Maven module an Anvil image is built from ({@code anvil/<module>:<tag>}), read from the checkout: its
 * configuration keys and JVM image (application.properties) and Dockerfiles, so that manifests can be checked against
 * them.
 */
public record ServiceModule(String name, Path dir) {

    /** Images built from this repository. */
    public static final String IMAGE_PREFIX = "anvil/";
    private static final Pattern IMAGE = Pattern.compile(Pattern.quote(IMAGE_PREFIX) + "([a-z0-9-]+):([\\w.-]+)");
    private static final Pattern METER_NAME = Pattern.compile("\"(anvil(?:\\.[a-z0-9]+)+)\"");
    private static final Pattern PROJECT_VERSION =
            Pattern.compile("<artifactId>anvil-parent</artifactId>\\s*<version>([^<]+)</version>");

    /** The module of an image such as {@code anvil/trainer-service:0.1.0-gpu}. */
    public static ServiceModule ofImage(Path repository, String image) {
        Matcher m = IMAGE.matcher(image);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + image + "' is not an " + IMAGE_PREFIX + "<module>:<tag> image");
        }
        return named(repository, m.group(1));
    }

    public static ServiceModule named(Path repository, String name) {
        Path dir = repository.resolve(name);
        if (!Files.isRegularFile(dir.resolve("pom.xml"))) {
            throw new IllegalArgumentException(name + " is no module of the repository (no " + dir + "/pom.xml)");
        }
        return new ServiceModule(name, dir);
    }

    public static String tagOf(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    /** The release the images are tagged with: the build's version without -SNAPSHOT. */
    public static String releaseVersion(Path repository) {
        Matcher m = PROJECT_VERSION.matcher(read(repository.resolve("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("no anvil-parent version in " + repository.resolve("pom.xml"));
        }
        return m.group(1).replace("-SNAPSHOT", "");
    }

    public Path applicationPropertiesPath() {
        return dir.resolve("src/main/resources/application.properties");
    }

    public Properties applicationProperties() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(read(applicationPropertiesPath())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Every key of application.properties as the environment variable Quarkus maps onto it, profiles removed. */
    public Set<String> configEnvironmentNames() {
        Set<String> names = new TreeSet<>();
        for (String key : applicationProperties().stringPropertyNames()) {
            names.add(environmentName(withoutProfile(key)));
        }
        return names;
    }

    /** The profiles application.properties has settings for ({@code %pg.quarkus...} -> pg). */
    public Set<String> profiles() {
        Set<String> profiles = new TreeSet<>();
        for (String key : applicationProperties().stringPropertyNames()) {
            if (key.startsWith("%")) {
                profiles.addAll(Set.of(key.substring(1, key.indexOf('.')).split(",")));
            }
        }
        return profiles;
    }

    /** The text of each Java source file of its main code. */
    public List<String> mainSources() {
        Path sources = dir.resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(ServiceModule::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + sources, e);
        }
    }

    /**
     * The Prometheus names of the meters its code registers: each dotted name literal of a source that uses
     * Micrometer ("anvil.gateway.queue.depth" -> anvil_gateway_queue_depth), before the suffix its type adds
     * (_total, _seconds_count, ...).
     */
    public Set<String> meterNames() {
        Set<String> names = new TreeSet<>();
        for (String source : mainSources()) {
            if (!source.contains("import io.micrometer.core.instrument.")) {
                continue;
            }
            Matcher literal = METER_NAME.matcher(source);
            while (literal.find()) {
                names.add(literal.group(1).replace('.', '_'));
            }
        }
        return names;
    }

    public boolean dependsOn(String artifactId) {
        return read(dir.resolve("pom.xml")).contains("<artifactId>" + artifactId + "</artifactId>");
    }

    /** The JVM image Jib builds from this module's configuration. */
    public JibImage jibImage() {
        return JibImage.of(this);
    }

    public Path dockerfile(String name) {
        return dir.resolve("src/main/docker").resolve(name);
    }

    /** Quarkus' rule: every character other than a letter or digit becomes _, then upper case. */
    public static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private static String withoutProfile(String key) {
        return key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
