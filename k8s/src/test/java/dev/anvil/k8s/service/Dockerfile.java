package dev.anvil.k8s.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Dockerfile says about the image it builds, read offline: the final stage's base image (with the ARG
 * defaults filled in), its ENV, USER, EXPOSE, COPY sources and exec-form ENTRYPOINT. Enough to check an image
 * against the pods that run it; not a full Dockerfile parser (no heredocs, no ONBUILD).
 */
public record Dockerfile(Path path, Map<String, String> args, List<Instruction> finalStage) implements ImageBuild {

    /** One instruction, its continuation lines joined. */
    public record Instruction(String keyword, String arguments) {}

    private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    public static Dockerfile read(Path path) {
        List<Instruction> all = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines(path)) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue; // a comment between continuation lines
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            int space = text.indexOf(' ');
            all.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
            current.setLength(0);
        }
        Map<String, String> args = new LinkedHashMap<>();
        int lastFrom = -1;
        for (int i = 0; i < all.size(); i++) {
            Instruction instruction = all.get(i);
            if (instruction.keyword().equals("FROM")) {
                lastFrom = i;
            } else if (instruction.keyword().equals("ARG") && lastFrom < 0) {
                Matcher pair = PAIR.matcher(instruction.arguments());
                if (pair.find()) {
                    args.put(pair.group(1), unquote(pair.group(2)));
                }
            }
        }
        if (lastFrom < 0) {
            throw new IllegalArgumentException(path + " has no FROM");
        }
        return new Dockerfile(path, args, List.copyOf(all.subList(lastFrom, all.size())));
    }

    /** The final stage's base image, global ARG defaults substituted. */
    public String baseImage() {
        String from = finalStage.get(0).arguments().split("\\s+")[0];
        return substitute(from, args);
    }

    /** The final stage's environment, values as written (variables referring to the base image left as they are). */
    @Override
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : all("ENV")) {
            Matcher pair = PAIR.matcher(instruction.arguments());
            while (pair.find()) {
                env.put(pair.group(1), unquote(pair.group(2)));
            }
        }
        return env;
    }

    @Override
    public Optional<String> user() {
        List<Instruction> users = all("USER");
        return users.isEmpty() ? Optional.empty() : Optional.of(users.get(users.size() - 1).arguments());
    }

    @Override
    public Set<Integer> exposedPorts() {
        Set<Integer> ports = new TreeSet<>();
        for (Instruction instruction : all("EXPOSE")) {
            for (String port : instruction.arguments().split("\\s+")) {
                ports.add(Integer.parseInt(port.replaceAll("/.*", "")));
            }
        }
        return ports;
    }

    /** Source paths of the final stage's COPY instructions that copy from the build context. */
    public List<String> copiedFromContext() {
        List<String> sources = new ArrayList<>();
        for (Instruction instruction : all("COPY")) {
            if (instruction.arguments().startsWith("--from")) {
                continue;
            }
            List<String> parts = List.of(instruction.arguments().split("\\s+"));
            parts.subList(0, parts.size() - 1).stream().filter(p -> !p.startsWith("--")).forEach(sources::add);
        }
        return sources;
    }

    /** The exec-form ENTRYPOINT, e.g. [java, -jar, app.jar]. */
    @Override
    public List<String> entrypoint() {
        List<Instruction> entrypoints = all("ENTRYPOINT");
        if (entrypoints.isEmpty()) {
            return List.of();
        }
        try {
            String json = entrypoints.get(entrypoints.size() - 1).arguments();
            return List.of(new ObjectMapper().readValue(json, String[].class));
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": ENTRYPOINT is not in exec (JSON array) form", e);
        }
    }

    private List<Instruction> all(String keyword) {
        return finalStage.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    private static String substitute(String text, Map<String, String> values) {
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
            variable.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(name, variable.group())));
        }
        return variable.appendTail(out).toString();
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static List<String> lines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
