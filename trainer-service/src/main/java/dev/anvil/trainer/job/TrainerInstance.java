package dev.anvil.trainer.job;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name this process signs its job leases with: {@code anvil.trainer.instance-id} when set, otherwise the host
 * name (the pod name on Kubernetes) plus a random suffix, so that a restarted process is a new owner. A configured
 * id must be unique among live instances; a process that finds jobs under its own configured id at start-up takes
 * them over at once, as they belong to its previous life.
 */
@ApplicationScoped
public class TrainerInstance {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_HOST = 100;

    private final String id;

    public TrainerInstance(@ConfigProperty(name = "anvil.trainer.instance-id") Optional<String> configuredId) {
        this.id = configuredId.map(TrainerInstance::checked).orElseGet(TrainerInstance::generated);
    }

    public String id() {
        return id;
    }

    private static String checked(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("anvil.trainer.instance-id '" + id + "' must match " + ID.pattern());
        }
        return id;
    }

    private static String generated() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "trainer";
            }
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (host.length() > MAX_HOST) host = host.substring(0, MAX_HOST);
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        return checked(host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0)) ? "trainer-" + host : host)
                + "-" + HexFormat.of().formatHex(suffix);
    }
}
