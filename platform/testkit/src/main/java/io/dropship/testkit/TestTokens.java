package io.dropship.testkit;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Signs JWTs for tests with an RSA key pair made once per test JVM; services under test verify them with
 * the public half (see {@link #serviceConfig()}). Nothing here is committed: the keys exist only in memory.
 */
public final class TestTokens {

    public static final String ISSUER = "https://dropship.local/issuer";

    private static final KeyPair KEYS = generate();

    /** A 256-bit key for secrets at rest (dropship.crypto.key), made per test JVM. */
    public static final String CRYPTO_KEY = randomKey();

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private TestTokens() {}

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configuration a service needs to verify (and, where it issues tokens, to sign) test tokens. */
    public static Map<String, String> serviceConfig() {
        return Map.of(
                "mp.jwt.verify.publickey",
                publicKeyPem(),
                "mp.jwt.verify.issuer",
                ISSUER,
                "smallrye.jwt.sign.key",
                privateKeyPem(),
                "smallrye.jwt.new-token.issuer",
                ISSUER);
    }

    public static String publicKeyPem() {
        return pem("PUBLIC KEY", KEYS.getPublic().getEncoded());
    }

    public static String privateKeyPem() {
        return pem("PRIVATE KEY", KEYS.getPrivate().getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static String admin() {
        return sign(claims("admin@dropship.test", Set.of("ADMIN")));
    }

    public static String support() {
        return sign(claims("support@dropship.test", Set.of("SUPPORT")));
    }

    public static String retailer(String retailerId) {
        return sign(claims("retailer-" + retailerId, Set.of("RETAILER")).claim("retailer_id", retailerId));
    }

    public static String supplier(String supplierId) {
        return sign(claims("supplier-" + supplierId, Set.of("SUPPLIER")).claim("supplier_id", supplierId));
    }

    /** A well-formed token signed by a key the services do not trust. */
    public static String forged(String role) {
        KeyPair other = generate();
        return claims("intruder", Set.of(role)).jws().sign(other.getPrivate());
    }

    public static String expired(String role) {
        long past = System.currentTimeMillis() / 1000 - 3600;
        return Jwt.issuer(ISSUER)
                .upn("late")
                .groups(Set.of(role))
                .issuedAt(past - 600)
                .expiresAt(past)
                .jws()
                .sign(KEYS.getPrivate());
    }

    private static JwtClaimsBuilder claims(String subject, Set<String> roles) {
        return Jwt.issuer(ISSUER).upn(subject).subject(subject).groups(roles).expiresIn(Duration.ofMinutes(30));
    }

    private static String sign(JwtClaimsBuilder claims) {
        return claims.jws().sign(KEYS.getPrivate());
    }
}
