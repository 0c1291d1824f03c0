package io.dropship.catalog.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Supplier API keys: {@code dsk_<key id>.<secret>}. The key id finds the stored key; the secret (32 random
 * bytes) is checked against its SHA-256 with a constant-time compare. A fast hash is enough because the
 * secret is random, not a password a person chose.
 */
public final class ApiKeys {

    private static final Pattern FORMAT = Pattern.compile("dsk_([A-Za-z0-9]{16})\\.([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    public record NewKey(String keyId, String secret, byte[] secretHash) {
        public String token() {
            return "dsk_" + keyId + "." + secret;
        }
    }

    public record Presented(String keyId, String secret) {}

    private ApiKeys() {}

    public static NewKey generate() {
        StringBuilder id = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            id.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        return new NewKey(id.toString(), secret, hash(secret));
    }

    /** The key id and secret of a presented key, or empty when it is not shaped like one of ours. */
    public static Optional<Presented> parse(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(presented.trim());
        return m.matches() ? Optional.of(new Presented(m.group(1), m.group(2))) : Optional.empty();
    }

    public static boolean matches(String secret, byte[] storedHash) {
        return MessageDigest.isEqual(hash(secret), storedHash);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
