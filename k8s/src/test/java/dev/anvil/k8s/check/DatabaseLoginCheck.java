package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Each workload with a datasource logs in to its database as a user of its own, so that a leaked or misused password
 * reaches one workload's data. QUARKUS_DATASOURCE_USERNAME and _PASSWORD come from one Secret (unset, the
 * application's built-in default login is used, which every service shares); no other workload reads that Secret
 * but the database server behind the JDBC URL, which needs it to create the login; no two workloads log in to the
 * same address with the same username.
 * <p>
 * Where the JDBC URL leads to a server in the set, that server creates this login and the URL's database for it,
 * the way the official PostgreSQL image allows: its container takes the username and password from the same keys of
 * the same Secret, a variable from that Secret holds the URL's database, the username is not the superuser
 * (POSTGRES_USER), and one line of a script mounted at /docker-entrypoint-initdb.d names all three variables. The
 * database is tied to its user by the Secret, which is data read exactly, rather than by parsing shell and SQL,
 * which would break with every change of wording: the script is only asked to pass the three on together, and what
 * it does with them is beyond what manifests show.
 */
public final class DatabaseLoginCheck implements Check {

    static final String USERNAME = "QUARKUS_DATASOURCE_USERNAME";
    static final String PASSWORD = "QUARKUS_DATASOURCE_PASSWORD";
    static final String INIT_DIR = "/docker-entrypoint-initdb.d";
    static final String SUPERUSER = "POSTGRES_USER";
    /** The address and the database of a JDBC URL: jdbc:postgresql://host:port/database?options. */
    private static final Pattern JDBC_URL = Pattern.compile("^jdbc:[a-z0-9]+://([^/?;]+)/([^/?;]+)");

    /** A container's database login: the Secret and keys it reads, and the address and database it connects to. */
    private record Login(Workload client, Container container, String secret, String usernameKey,
            String passwordKey, String username, String address, String database) {

        Problem problem(String message) {
            return new Problem(client.describe(), "container " + container.getName() + " " + message);
        }
    }

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        List<Login> logins = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            workload.containers().forEach(container -> login(manifests, workload, container, problems)
                    .ifPresent(logins::add));
        }
        PodNetwork network = PodNetwork.of(manifests);
        Map<Login, List<Workload>> servers = new LinkedHashMap<>();
        logins.forEach(login -> servers.put(login, network.connections(login.client()).stream()
                .filter(c -> c.variable().equals(ConnectionCheck.JDBC_URL)).flatMap(c -> c.to().stream())
                .map(PodNetwork.Pod::workload).filter(Objects::nonNull).distinct().toList()));
        servers.forEach((login, behind) -> behind.forEach(server -> checkServer(manifests, login, server, problems)));
        checkSharedSecrets(manifests, servers, problems);
        checkSharedUsernames(logins, problems);
        return problems;
    }

    private static Optional<Login> login(Manifests manifests, Workload workload, Container container,
            List<Problem> problems) {
        Map<String, String> env = ContainerEnvironment.of(manifests, workload.namespace(), container);
        String url = env.get(ConnectionCheck.JDBC_URL);
        if (url == null) {
            return Optional.empty();
        }
        SecretKeySelector username = secretKeyRef(container, USERNAME);
        SecretKeySelector password = secretKeyRef(container, PASSWORD);
        if (username == null || password == null || !username.getName().equals(password.getName())) {
            problems.add(new Problem(workload.describe(), "container " + container.getName() + " " + USERNAME
                    + " and " + PASSWORD + " must both come from one Secret, the workload's own database login"
                    + " (unset, the application's default login is used)"));
            return Optional.empty();
        }
        Matcher parts = JDBC_URL.matcher(url);
        boolean parsed = parts.find();
        return Optional.of(new Login(workload, container, username.getName(), username.getKey(), password.getKey(),
                env.get(USERNAME), parsed ? parts.group(1) : url, parsed ? parts.group(2) : null));
    }

    /** The server takes the login from its Secret and creates it, with the URL's database, in an init script. */
    private static void checkServer(Manifests manifests, Login login, Workload server, List<Problem> problems) {
        String at = "logs in with Secret " + login.secret() + " to " + server.describe() + ", ";
        if (login.database() == null) {
            problems.add(login.problem(at + "but its JDBC URL names no database"));
            return;
        }
        Optional<Container> database = server.containers()
                .filter(c -> variableOf(c, login.secret(), login.usernameKey()) != null).findFirst();
        String passwordVariable = database.map(c -> variableOf(c, login.secret(), login.passwordKey())).orElse(null);
        if (passwordVariable == null) {
            problems.add(login.problem(at + "which is not given that login (keys " + login.usernameKey() + " and "
                    + login.passwordKey() + "), so nothing creates it"));
            return;
        }
        String usernameVariable = variableOf(database.get(), login.secret(), login.usernameKey());
        if (usernameVariable.equals(SUPERUSER)) {
            problems.add(login.problem(at + "as its superuser (" + SUPERUSER + "): give the workload a login of its"
                    + " own"));
            return;
        }
        // Not the username's variable, though a user and its database often share a name.
        Map<String, String> env = ContainerEnvironment.of(manifests, server.namespace(), database.get());
        Optional<String> databaseVariable = Workload.nonNull(database.get().getEnv()).stream()
                .filter(e -> login.secret().equals(secretOf(e)))
                .filter(e -> Objects.equals(env.get(e.getName()), login.database())).map(EnvVar::getName)
                .filter(name -> !name.equals(usernameVariable) && !name.equals(passwordVariable)).findFirst();
        if (databaseVariable.isEmpty()) {
            problems.add(login.problem(at + "but no variable of the server from that Secret holds its JDBC URL's"
                    + " database " + login.database() + ": the server creates no such database for this login"));
            return;
        }
        List<String> variables = List.of(usernameVariable, passwordVariable, databaseVariable.get());
        if (initScriptLines(manifests, server, database.get()).noneMatch(line -> variables.stream()
                .allMatch(variable -> Pattern.compile("\\b" + Pattern.quote(variable) + "\\b").matcher(line).find()))) {
            problems.add(login.problem(at + "but no line of its init scripts (" + INIT_DIR + ") passes on "
                    + String.join(", ", variables) + " together: nothing creates the login and its database"));
        }
    }

    /** Every line of the ConfigMap scripts mounted where the PostgreSQL image runs them on an empty volume. */
    private static Stream<String> initScriptLines(Manifests manifests, Workload server, Container container) {
        Set<String> volumes = Workload.nonNull(container.getVolumeMounts()).stream()
                .filter(m -> INIT_DIR.equals(m.getMountPath())).map(VolumeMount::getName).collect(Collectors.toSet());
        return Workload.nonNull(server.podSpec().getVolumes()).stream()
                .filter(v -> volumes.contains(v.getName()) && v.getConfigMap() != null)
                .map(Volume::getConfigMap)
                .flatMap(ref -> manifests.find(ConfigMap.class, server.namespace(), ref.getName()).stream())
                .flatMap(configMap -> ConfigData.values(configMap).values().stream()).filter(Objects::nonNull)
                .flatMap(String::lines);
    }

    /** A login's Secret is read by its workload and the servers it connects to, no other. */
    private static void checkSharedSecrets(Manifests manifests, Map<Login, List<Workload>> servers,
            List<Problem> problems) {
        Map<SecretId, Set<HasMetadata>> serversBySecret = new LinkedHashMap<>();
        servers.forEach((login, behind) -> serversBySecret.computeIfAbsent(
                new SecretId(login.client().namespace(), login.secret()), s -> new HashSet<>())
                .addAll(behind.stream().map(Workload::owner).toList()));
        serversBySecret.forEach((secret, serverOwners) -> {
            Set<String> readers = Workload.all(manifests).stream()
                    .filter(w -> Objects.equals(w.namespace(), secret.namespace()))
                    .filter(w -> w.secretsRead().contains(secret.name()) && !serverOwners.contains(w.owner()))
                    .map(Workload::describe).collect(Collectors.toCollection(TreeSet::new));
            if (readers.size() > 1) {
                problems.add(new Problem(secret.toString(), "is read by " + String.join(", ", readers)
                        + ": a database login must be one workload's alone (and its database server's)"));
            }
        });
    }

    private record SecretId(String namespace, String name) {

        @Override
        public String toString() {
            return "Secret " + namespace + "/" + name;
        }
    }

    private static void checkSharedUsernames(List<Login> logins, List<Problem> problems) {
        Map<String, Set<String>> byUser = new LinkedHashMap<>();
        logins.stream().filter(login -> login.username() != null).forEach(login -> byUser.computeIfAbsent(
                login.address() + " as " + login.username(), u -> new TreeSet<>()).add(login.client().describe()));
        byUser.forEach((user, workloads) -> {
            if (workloads.size() > 1) {
                problems.add(new Problem(String.join(", ", workloads), "all log in to " + user + ": give each"
                        + " workload a database user of its own"));
            }
        });
    }

    private static SecretKeySelector secretKeyRef(Container container, String variable) {
        return Workload.nonNull(container.getEnv()).stream().filter(e -> e.getName().equals(variable))
                .map(e -> e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef())
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static String secretOf(EnvVar env) {
        return env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null ? null
                : env.getValueFrom().getSecretKeyRef().getName();
    }

    /** The container's variable set from that key of that Secret, or null. */
    private static String variableOf(Container container, String secret, String key) {
        return Workload.nonNull(container.getEnv()).stream()
                .filter(e -> secret.equals(secretOf(e)) && key.equals(e.getValueFrom().getSecretKeyRef().getKey()))
                .map(EnvVar::getName).findFirst().orElse(null);
    }
}
