package dev.anvil.gateway.traffic;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * AES-256-GCM for kept traffic: a fresh random 12-byte nonce per sample and a 128-bit tag. The additional data binds
 * a ciphertext to its row's response id and version, so a ciphertext copied into another row does not decrypt.
 * Random nonces keep one key safe for about 2^32 samples (NIST SP 800-38D); rows expire, and a new key starts a new
 * count. The key is never in a message or a log line: {@link #keyId()} names it.
 */
public final class TrafficCipher {
    public static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Versions the additional data's layout, so that a later layout cannot be confused with this one. */
    private static final byte[] AAD_TAG = "anvil-traffic-1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    public TrafficCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.keyId = keyId(key);
    }

    /**
     * The key as configured: base64 of 32 bytes. {@code property} names the setting in the error, which never quotes
     * the value (the JDK's base64 error would quote a character of it).
     */
    public static TrafficCipher fromBase64(String base64, String property) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " must be the base64 of " + KEY_BYTES + " random bytes "
                    + "(e.g. openssl rand -base64 32); it is not valid base64");
        }
        try {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException(property + " must be the base64 of " + KEY_BYTES + " random bytes "
                        + "(an AES-256 key, e.g. openssl rand -base64 32); it decodes to " + key.length + " bytes");
            }
            return new TrafficCipher(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The first 8 hex digits of the key's SHA-256: kept with each row, so that rows of another key are told apart. */
    public String keyId() {
        return keyId;
    }

    /** A nonce of its own and the ciphertext with its tag. */
    public record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    public Sealed seal(byte[] plaintext, String responseId, String versionId) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            return new Sealed(nonce, cipher(Cipher.ENCRYPT_MODE, nonce, responseId, versionId).doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to encrypt", e);
        }
    }

    /**
     * The plaintext; {@link UndecryptableException} when the ciphertext, its nonce, the ids or the key are not the
     * ones it was sealed with.
     */
    public byte[] open(byte[] nonce, byte[] ciphertext, String responseId, String versionId) {
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new UndecryptableException("the nonce is not " + NONCE_BYTES + " bytes");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, nonce, responseId, versionId).doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new UndecryptableException("the ciphertext does not authenticate under key " + keyId + " for "
                    + "this response id and version: altered, moved from another row, or sealed under another key");
        } catch (GeneralSecurityException e) {
            throw new UndecryptableException("AES-GCM failed to decrypt: " + e.getClass().getSimpleName());
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String responseId, String versionId)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(additionalData(responseId, versionId));
        return cipher;
    }

    /** The tag, then each id as its UTF-8 length and bytes: no two pairs of ids give the same bytes. */
    static byte[] additionalData(String responseId, String versionId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(AAD_TAG);
        for (String id : new String[]{responseId, versionId}) {
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A sample that cannot be decrypted with this key; the message says why, never what it holds. */
    public static final class UndecryptableException extends RuntimeException {
        UndecryptableException(String message) {
            super(message);
        }
    }
}
