package io.dropship.gateway.accounts;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.jboss.logging.Logger;

/**
 * Password hashes: Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), a random 16-byte salt, stored in the
 * PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) so the parameters travel with each hash and can
 * be raised later. Hashing costs tens of milliseconds of CPU: call it off the event loop.
 *
 * <p>The hash is computed by the reference C implementation (libargon2, bundled for Linux, macOS and Windows by
 * argon2-jvm and loaded through JNA): about 21 ms a hash on the fleet's machine, against 106 ms for Bouncy Castle's
 * Java one under the services' C1 compiler, and its 19 MiB are native memory given back when the hash is done, not
 * 19,456 one-KiB blocks on the heap, which outlived the young generation, filled the old one and made the gateway's
 * heap the fleet's largest. Where the library cannot load (a platform it has no build for), Bouncy Castle computes the
 * same bytes ({@link #engine()} says which; the start-up log names the fallback).
 */
public final class Passwords {

    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int LANES = 1;
    private static final Logger LOG = Logger.getLogger(Passwords.class);
    // Before DECOY, which is hashed by it.
    private static final Argon2Advanced NATIVE = loadNative();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    /** Verified against when the e-mail is unknown, so that case costs what a wrong password does. */
    static final String DECOY = hash("not a password anyone has: " + RANDOM.nextLong());

    private Passwords() {}

    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, LANES, 32);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + LANES + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(hash);
    }

    /** Whether the password matches the stored hash (constant time in the hash's length). */
    public static boolean matches(String password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id")) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=");
            switch (pair[0]) {
                case "m" -> m = Integer.parseInt(pair[1]);
                case "t" -> t = Integer.parseInt(pair[1]);
                case "p" -> p = Integer.parseInt(pair[1]);
                default -> {}
            }
        }
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = derive(password, B64D.decode(parts[4]), m, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Which implementation computes the hashes: {@code libargon2} or {@code bouncy-castle}. */
    public static String engine() {
        return NATIVE != null ? "libargon2" : "bouncy-castle";
    }

    private static Argon2Advanced loadNative() {
        try {
            Argon2Advanced argon2 = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
            argon2.pbkdf(1, 8, 1, new byte[1], new byte[16], 32); // loads the library now, not at the first sign-in
            return argon2;
        } catch (LinkageError | RuntimeException e) {
            LOG.warnf(
                    "libargon2 could not be loaded (%s): password hashes are computed by Bouncy Castle, about five"
                            + " times slower and with their memory on the heap",
                    e.toString());
            return null;
        }
    }

    static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        if (NATIVE == null) {
            return javaDerive(password, salt, memoryKib, iterations, lanes, length);
        }
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        try {
            return NATIVE.pbkdf(iterations, memoryKib, lanes, utf8, salt, length);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /** Bouncy Castle's Argon2id: the fallback, and what the tests check libargon2's bytes against. */
    static byte[] javaDerive(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
