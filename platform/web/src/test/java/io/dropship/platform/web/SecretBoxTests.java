package io.dropship.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretBoxTests {

    private static String key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void aSealedValueNamesItsKeyAndOpensAfterTheKeyIsRotated() {
        String k1 = key();
        SecretBox before = new SecretBox("k1:" + k1);
        byte[] sealed = before.seal("shpss_secret");
        assertEquals("k1", new String(sealed, 2, 2, StandardCharsets.US_ASCII));

        SecretBox after = new SecretBox("k2:" + key(), "k1:" + k1);
        assertEquals("shpss_secret", after.open(sealed));
        assertFalse(after.isCurrent(sealed), "sealed under the old key: to be sealed again");
        byte[] resealed = after.reseal(sealed);
        assertTrue(after.isCurrent(resealed));
        assertEquals("shpss_secret", after.open(resealed));
    }

    @Test
    void aValueSealedUnderAKeyNoLongerConfiguredDoesNotOpen() {
        byte[] sealed = new SecretBox("k1:" + key()).seal("secret");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new SecretBox("k2:" + key()).open(sealed));
        assertTrue(e.getMessage().contains("k1"), e.getMessage());
    }

    @Test
    void aValueCannotBePassedOffAsSealedByAnotherKeyId() {
        String k = key();
        byte[] sealed = new SecretBox("k1:" + k).seal("secret");
        sealed[2] = 'x'; // "x1": a key id the box does not have under that name
        assertThrows(IllegalStateException.class, () -> new SecretBox("x1:" + k, "k1:" + k).open(sealed));
    }

    @Test
    void valuesSealedBeforeKeyIdsOpenWithTheKeyGivenWithoutAnId() throws Exception {
        String k = key();
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                Cipher.ENCRYPT_MODE,
                new SecretKeySpec(Base64.getDecoder().decode(k), "AES"),
                new GCMParameterSpec(128, nonce));
        byte[] ct = cipher.doFinal("old".getBytes(StandardCharsets.UTF_8));
        byte[] legacy = ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array();

        SecretBox box = new SecretBox(k);
        assertEquals("old", box.open(legacy));
        assertFalse(new SecretBox("k1:" + key(), SecretBox.LEGACY_ID + ":" + k).isCurrent(legacy));
        assertEquals("old", new SecretBox("k1:" + key(), SecretBox.LEGACY_ID + ":" + k).open(legacy));
    }
}
