package dev.anvil.gateway.traffic;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AES-256-GCM of kept traffic: round trip, and every way a row can be wrong fails with a message that says why. */
class TrafficCipherTest {
    static final byte[] KEY = "anvil traffic test key, not real".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OTHER_KEY = "another traffic key, not real ok".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RECORD = "{\"prompt\":\"Where is the lighthouse?\",\"completion\":\"On the rock.\"}"
            .getBytes(StandardCharsets.UTF_8);

    final TrafficCipher cipher = new TrafficCipher(KEY);

    @Test
    void sealsAndOpensARecordBoundToItsRow() {
        TrafficCipher.Sealed sealed = cipher.seal(RECORD, "chatcmpl-1", "job-7");
        assertEquals(12, sealed.nonce().length);
        assertEquals(RECORD.length + 16, sealed.ciphertext().length, "the ciphertext carries a 128-bit tag");
        assertFalse(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1).contains("lighthouse"));
        assertArrayEquals(RECORD, cipher.open(sealed.nonce(), sealed.ciphertext(), "chatcmpl-1", "job-7"));
        assertArrayEquals(RECORD, new TrafficCipher(KEY).open(sealed.nonce(), sealed.ciphertext(), "chatcmpl-1",
                "job-7"), "another instance with the same key (another replica, a restart)");
    }

    @Test
    void anAlteredCiphertextOrNonceFails() {
        TrafficCipher.Sealed sealed = cipher.seal(RECORD, "chatcmpl-1", "job-7");
        byte[] altered = sealed.ciphertext().clone();
        altered[3] ^= 1;
        var e = assertThrows(TrafficCipher.UndecryptableException.class,
                () -> cipher.open(sealed.nonce(), altered, "chatcmpl-1", "job-7"));
        assertTrue(e.getMessage().contains("does not authenticate under key " + cipher.keyId()), e.getMessage());
        byte[] nonce = sealed.nonce().clone();
        nonce[0] ^= 1;
        assertThrows(TrafficCipher.UndecryptableException.class,
                () -> cipher.open(nonce, sealed.ciphertext(), "chatcmpl-1", "job-7"));
        var shortNonce = assertThrows(TrafficCipher.UndecryptableException.class,
                () -> cipher.open(new byte[8], sealed.ciphertext(), "chatcmpl-1", "job-7"));
        assertTrue(shortNonce.getMessage().contains("12 bytes"), shortNonce.getMessage());
    }

    @Test
    void aCiphertextMovedToAnotherRowFails() {
        TrafficCipher.Sealed sealed = cipher.seal(RECORD, "chatcmpl-1", "job-7");
        assertThrows(TrafficCipher.UndecryptableException.class,
                () -> cipher.open(sealed.nonce(), sealed.ciphertext(), "chatcmpl-2", "job-7"), "another response");
        assertThrows(TrafficCipher.UndecryptableException.class,
                () -> cipher.open(sealed.nonce(), sealed.ciphertext(), "chatcmpl-1", "job-8"), "another version");
        // The ids' boundary is part of what is bound: "ab" + "c" is not "a" + "bc".
        TrafficCipher.Sealed split = cipher.seal(RECORD, "ab", "c");
        assertThrows(TrafficCipher.UndecryptableException.class,
                () -> cipher.open(split.nonce(), split.ciphertext(), "a", "bc"));
    }

    @Test
    void anotherKeyFailsAndHasAnotherId() {
        TrafficCipher other = new TrafficCipher(OTHER_KEY);
        TrafficCipher.Sealed sealed = cipher.seal(RECORD, "chatcmpl-1", "job-7");
        assertThrows(TrafficCipher.UndecryptableException.class,
                () -> other.open(sealed.nonce(), sealed.ciphertext(), "chatcmpl-1", "job-7"));
        assertTrue(cipher.keyId().matches("[0-9a-f]{8}"), cipher.keyId());
        assertNotEquals(cipher.keyId(), other.keyId());
        assertEquals(cipher.keyId(), new TrafficCipher(KEY).keyId(), "a key's id is stable");
    }

    @Test
    void everyNonceIsNewSoTheSameRecordSealsDifferently() {
        Set<String> nonces = new HashSet<>();
        Set<String> ciphertexts = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            TrafficCipher.Sealed sealed = cipher.seal(RECORD, "chatcmpl-1", "job-7");
            nonces.add(Base64.getEncoder().encodeToString(sealed.nonce()));
            ciphertexts.add(Base64.getEncoder().encodeToString(sealed.ciphertext()));
        }
        assertEquals(10_000, nonces.size());
        assertEquals(10_000, ciphertexts.size());
    }

    @Test
    void aConfiguredKeyMustBeTheBase64Of32BytesAndIsNeverQuoted() {
        String key = Base64.getEncoder().encodeToString(KEY);
        assertEquals(cipher.keyId(), TrafficCipher.fromBase64(" " + key + "\n", "anvil.gateway.traffic.key").keyId());

        String shortKey = Base64.getEncoder().encodeToString("sixteen byte key".getBytes(StandardCharsets.US_ASCII));
        var tooShort = assertThrows(IllegalArgumentException.class,
                () -> TrafficCipher.fromBase64(shortKey, "anvil.gateway.traffic.key"));
        assertTrue(tooShort.getMessage().contains("anvil.gateway.traffic.key must be the base64 of 32 random bytes"),
                tooShort.getMessage());
        assertTrue(tooShort.getMessage().contains("decodes to 16 bytes"), tooShort.getMessage());
        assertFalse(tooShort.getMessage().contains(shortKey));

        String notBase64 = "not base64 at all: s3cr3t!";
        var invalid = assertThrows(IllegalArgumentException.class,
                () -> TrafficCipher.fromBase64(notBase64, "anvil.gateway.traffic.key"));
        assertTrue(invalid.getMessage().contains("anvil.gateway.traffic.key") && invalid.getMessage()
                .contains("not valid base64"), invalid.getMessage());
        assertFalse(invalid.getMessage().contains("s3cr3t"));
        assertEquals(null, invalid.getCause(), "the decoder's message quotes a character of the key");
    }
}
