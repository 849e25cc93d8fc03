package dev.anvil.gateway.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.http.RefusedException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The API keys of /v1. A key is 32 random bytes (base64url after {@code sk-anvil-}), shown once when created and
 * kept only as its SHA-256: a leaked table holds nothing usable. Keys are never logged. A verified hash is trusted
 * for {@code anvil.gateway.keys.cache-ttl} without a database read; revoking here drops it from that cache at once.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    static final String PREFIX = "sk-anvil-";
    private static final int RANDOM_BYTES = 32;
    /** The key's start kept for listings: the fixed prefix and 4 random characters, far too few to guess from. */
    private static final int SHOWN_CHARS = PREFIX.length() + 4;
    private static final int MAX_NAME = 128;
    /** Longer than any key made here: a longer presented value is refused without hashing megabytes. */
    static final int MAX_KEY_CHARS = 256;

    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Caller> verified;

    public ApiKeys(GatewayConfig config) {
        this.verified = Caffeine.newBuilder().expireAfterWrite(config.keys().cacheTtl()).maximumSize(10_000).build();
    }

    /**
     * A new key named {@code name}; the answer is the only place the key itself ever appears. With {@code scopes} it
     * is a service key ({@link KeyScope}).
     */
    @Transactional
    public ApiKeyView create(String name, boolean admin, KeyLimits limits, List<String> scopes) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw RefusedException.invalid("name is required: 1-" + MAX_NAME + " characters, no control characters");
        }
        Set<KeyScope> scoped = KeyScope.parse(scopes);
        if (admin && !scoped.isEmpty()) {
            throw RefusedException.invalid("admin: a key with scopes is a service key, refused on /v1, so it cannot be "
                    + "an admin key (which picks a route's variant on /v1)");
        }
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey k = new ApiKey();
        k.id = UUID.randomUUID().toString();
        k.name = name;
        k.prefix = key.substring(0, SHOWN_CHARS);
        k.hash = sha256(key);
        k.admin = admin;
        k.scopes = KeyScope.column(scoped);
        limits.checked().applyTo(k);
        k.createdAt = Instant.now();
        k.persist();
        LOG.infof("API key %s (%s) created", k.id, k.prefix);
        return ApiKeyView.of(k).withKey(key);
    }

    public List<ApiKeyView> list() {
        return ApiKey.<ApiKey>listAll(Sort.by("createdAt").and("id")).stream().map(ApiKeyView::of).toList();
    }

    /**
     * Replaces a key's own limits (null fields: the configured defaults). This replica applies them at once, others
     * within {@code anvil.gateway.keys.cache-ttl}; a changed limit starts its buckets full (docs/gateway-api.md).
     */
    @Transactional
    public ApiKeyView limit(String id, KeyLimits limits) {
        limits.checked();
        ApiKey k = find(id);
        limits.applyTo(k);
        verified.invalidate(k.hash);
        LOG.infof("API key %s (%s) limits set to %s", k.id, k.prefix, limits);
        return ApiKeyView.of(k);
    }

    /** Revokes a key; revoking it again changes nothing. */
    @Transactional
    public ApiKeyView revoke(String id) {
        ApiKey k = find(id);
        if (k.revokedAt == null) {
            k.revokedAt = Instant.now();
            LOG.infof("API key %s (%s) revoked", k.id, k.prefix);
        }
        verified.invalidate(k.hash);
        return ApiKeyView.of(k);
    }

    private static ApiKey find(String id) {
        return ApiKey.<ApiKey>findByIdOptional(id)
                .orElseThrow(() -> RefusedException.notFound("API key '" + (id.length() > 80 ? id.substring(0, 80)
                        + "..." : id) + "' does not exist"));
    }

    /**
     * {@link #caller} for a request filter on the event loop: at once when the key was verified just now (cached),
     * else read from the database on a worker thread.
     */
    public Uni<Optional<Caller>> callerOffLoop(String key) {
        Caller known = isWellFormed(key) ? verified.getIfPresent(sha256(key)) : null;
        if (known != null) return Uni.createFrom().item(Optional.of(known));
        return Uni.createFrom().item(() -> caller(key)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The caller {@code key} stands for, if it is a key made here and not revoked (cached, else blocking). */
    public Optional<Caller> caller(String key) {
        if (!isWellFormed(key)) return Optional.empty();
        String hash = sha256(key);
        Caller known = verified.getIfPresent(hash);
        if (known != null) return Optional.of(known);
        // Looked up by its hash: the comparison is an index lookup on a value the caller cannot aim at.
        Optional<Caller> found = QuarkusTransaction.joiningExisting().call(() -> ApiKey.<ApiKey>find(
                "hash = ?1 and revokedAt is null", hash).firstResultOptional().map(k -> new Caller(k.id, k.admin, KeyLimits.of(k), KeyScope.ofColumn(k.scopes))));
        found.ifPresent(c -> verified.put(hash, c));
        return found;
    }

    /** Whether {@code key} looks like a key made here (the prefix, a bounded length): worth a lookup at all. */
    public static boolean isWellFormed(String key) {
        return key != null && key.length() <= MAX_KEY_CHARS && key.startsWith(PREFIX);
    }

    static String sha256(String key) {
        return HexFormat.of().formatHex(Credentials.sha256(key));
    }
}
