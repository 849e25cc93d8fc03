package dev.anvil.gateway.traffic;

import dev.anvil.gateway.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secure by default: no key, nothing kept; a wrong key or bound fails the start, naming the property. */
class TrafficConfigTest {
    static final String TEST_KEY = "YW52aWwgdHJhZmZpYyB0ZXN0IGtleSwgbm90IHJlYWw=";

    /** The traffic settings with their defaults, {@code overrides} by method name. */
    static GatewayConfig config(Map<String, Object> overrides) {
        Map<String, Object> defaults = Map.of("key", Optional.empty(), "queueCapacity", 1000,
                "flushInterval", Duration.ofSeconds(2), "maxPerVersion", 10_000, "maxSampleChars", 32_000,
                "retention", Duration.ofDays(7));
        GatewayConfig.Traffic traffic = (GatewayConfig.Traffic) Proxy.newProxyInstance(
                TrafficConfigTest.class.getClassLoader(), new Class<?>[]{GatewayConfig.Traffic.class},
                (proxy, method, args) -> overrides.getOrDefault(method.getName(), defaults.get(method.getName())));
        return (GatewayConfig) Proxy.newProxyInstance(TrafficConfigTest.class.getClassLoader(),
                new Class<?>[]{GatewayConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("traffic")) return traffic;
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void withoutAKeyNothingIsKept() {
        assertTrue(new TrafficKey(config(Map.of())).cipher().isEmpty());
        assertTrue(new TrafficKey(config(Map.of("key", Optional.of("  ")))).cipher().isEmpty(), "an empty Secret");
        TrafficStore store = new TrafficStore(new TrafficKey(config(Map.of())), config(Map.of()));
        assertFalse(store.keeps());
    }

    @Test
    void aKeyOfTheWrongLengthFailsNamingThePropertyAndTheLength() {
        String tooShort = "c2l4dGVlbiBieXRlIGtleQ==";
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TrafficKey(config(Map.of("key", Optional.of(tooShort)))));
        assertTrue(e.getMessage().startsWith("anvil.gateway.traffic.key must be the base64 of 32 random bytes"),
                e.getMessage());
        assertFalse(e.getMessage().contains(tooShort));
        assertEquals("d79f66f1", new TrafficKey(config(Map.of("key", Optional.of(TEST_KEY)))).cipher().orElseThrow()
                .keyId(), "the test profile's key, as the start-up line names it");
    }

    @Test
    void boundsMustBePositive() {
        TrafficKey key = new TrafficKey(config(Map.of("key", Optional.of(TEST_KEY))));
        for (var bad : Map.of("queueCapacity", (Object) 0, "maxPerVersion", -1, "maxSampleChars", 0,
                "flushInterval", Duration.ZERO, "retention", Duration.ZERO).entrySet()) {
            GatewayConfig config = config(Map.of(bad.getKey(), bad.getValue()));
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new TrafficRecorder(new TrafficStore(key, config), config), bad.getKey());
            assertTrue(e.getMessage().startsWith("anvil.gateway.traffic."), e.getMessage());
            assertTrue(e.getMessage().contains("must be positive, got " + bad.getValue()), e.getMessage());
        }
    }
}
