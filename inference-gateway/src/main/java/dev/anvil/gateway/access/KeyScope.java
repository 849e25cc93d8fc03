package dev.anvil.gateway.access;

import dev.anvil.events.datadir.DataNames;
import dev.anvil.service.http.RefusedException;
import dev.anvil.service.http.SafeText;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a service key may do of {@code /admin} without being the admin key: the least a neighbour service needs. A
 * key with a scope may do only what its scopes allow, and not call {@code /v1}: it is no client of the models.
 */
public enum KeyScope {
    /** The dataset-service's retraining: a version and its kept traffic, read only. */
    TRAFFIC_READ("traffic:read", "GET", Pattern.compile("/admin/versions/" + DataNames.PATTERN + "(/traffic)?"));

    private final String name;
    private final String method;
    private final Pattern paths;

    KeyScope(String name, String method, Pattern paths) {
        this.name = name;
        this.method = method;
        this.paths = paths;
    }

    /** The scope's name in the admin API and the database. */
    public String scopeName() {
        return name;
    }

    /** Whether the scope allows {@code method} on {@code path} (decoded, as the request filter sees it). */
    boolean permits(String method, String path) {
        return this.method.equals(method) && paths.matcher(path).matches();
    }

    /** The scopes named, or a refusal naming the first unknown one by its index ({@code scopes[1]}). */
    static Set<KeyScope> parse(List<String> names) {
        Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
        if (names == null) return scopes;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int index = i;
            scopes.add(Arrays.stream(values()).filter(s -> s.name.equals(name)).findFirst().orElseThrow(() ->
                    RefusedException.invalid("scopes[" + index + "] '" + SafeText.of(String.valueOf(name))
                            + "' is not a scope; known: " + joined(EnumSet.allOf(KeyScope.class)))));
        }
        return scopes;
    }

    /** The column's form: names comma separated; null for none. */
    static String column(Set<KeyScope> scopes) {
        return scopes.isEmpty() ? null : joined(scopes);
    }

    static Set<KeyScope> ofColumn(String column) {
        if (column == null || column.isBlank()) return EnumSet.noneOf(KeyScope.class);
        return parse(List.of(column.split(",")));
    }

    static List<String> names(Collection<KeyScope> scopes) {
        return scopes.stream().map(KeyScope::scopeName).toList();
    }

    private static String joined(Set<KeyScope> scopes) {
        return scopes.stream().map(KeyScope::scopeName).collect(Collectors.joining(","));
    }
}
