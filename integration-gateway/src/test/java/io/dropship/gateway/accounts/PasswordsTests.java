package io.dropship.gateway.accounts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hashes are computed by libargon2 where it loads (Linux here) and must be the bytes Bouncy Castle's Argon2id gives for
 * the same input: every hash stored before the change, and any made on a platform without the library, is checked by
 * the other implementation.
 */
class PasswordsTests {

    @Test
    void libargon2IsWhatHashesHere() {
        assertEquals("libargon2", Passwords.engine());
    }

    @Test
    void libargon2GivesBouncyCastlesBytes() {
        Random random = new Random(20261206);
        String[] passwords = {"correct horse battery staple", "", "pässwörd ✓ 密码", "x".repeat(200)};
        for (String password : passwords) {
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            for (int length : new int[] {16, 32, 64}) {
                assertArrayEquals(
                        Passwords.javaDerive(password, salt, 64, 3, 1, length),
                        Passwords.derive(password, salt, 64, 3, 1, length),
                        "'" + password + "', " + length + " bytes, small memory");
            }
            assertArrayEquals(
                    Passwords.javaDerive(
                            password, salt, Passwords.MEMORY_KIB, Passwords.ITERATIONS, Passwords.LANES, 32),
                    Passwords.derive(password, salt, Passwords.MEMORY_KIB, Passwords.ITERATIONS, Passwords.LANES, 32),
                    "'" + password + "' with the stored hashes' parameters");
        }
    }

    @Test
    void aHashBouncyCastleMadeIsCheckedAndOneMadeNowIsPhc() {
        byte[] salt = "sixteen byte slt".getBytes(StandardCharsets.US_ASCII);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String earlier = "$argon2id$v=19$m=19456,t=2,p=1$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(Passwords.javaDerive("open sesame", salt, 19_456, 2, 1, 32));
        assertTrue(Passwords.matches("open sesame", earlier));
        assertFalse(Passwords.matches("open sesame!", earlier));

        String now = Passwords.hash("open sesame");
        assertTrue(now.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), now);
        assertTrue(Passwords.matches("open sesame", now));
        assertFalse(Passwords.matches("Open sesame", now));
    }
}
