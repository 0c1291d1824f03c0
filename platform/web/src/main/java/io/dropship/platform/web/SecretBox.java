package io.dropship.platform.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tenant secrets at rest (store webhook secrets and API tokens, supplier callback signing secrets): AES-256-GCM with
 * a random 12-byte nonce per value. A sealed value names the key that sealed it, so keys can be rotated: the newest
 * key seals, every configured key opens, and {@link #isCurrent} tells which stored values a background pass still has
 * to seal again under the newest key. Layout: {@code 'K' || id length || key id || nonce || ciphertext || tag}; the
 * key id is also the GCM additional data, so a value cannot be passed off as sealed by another key. Values sealed before
 * key ids existed (nonce || ciphertext || tag) open with the key whose id is {@value #LEGACY_ID}.
 * Keys (32 bytes, base64) are configuration, never in the database.
 */
public final class SecretBox {

    /** The id a key given without one (the original single {@code dropship.crypto.key}) has. */
    public static final String LEGACY_ID = "k0";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte MARK = 'K';
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    /**
     * @param current  the key that seals: {@code id:base64} or just {@code base64} (id {@value #LEGACY_ID})
     * @param previous keys that only open, comma-separated, each {@code id:base64}; may be blank
     */
    public SecretBox(String current, String previous) {
        String[] c = parse(current);
        this.currentId = c[0];
        keys.put(c[0], key(c[1]));
        if (previous != null) {
            for (String entry : previous.split(",")) {
                if (!entry.isBlank()) {
                    String[] p = parse(entry);
                    keys.putIfAbsent(p[0], key(p[1]));
                }
            }
        }
    }

    public SecretBox(String current) {
        this(current, null);
    }

    private static String[] parse(String entry) {
        String e = entry.trim();
        int colon = e.indexOf(':');
        return colon < 0
                ? new String[] {LEGACY_ID, e}
                : new String[] {
                    e.substring(0, colon).trim(), e.substring(colon + 1).trim()
                };
    }

    private static SecretKeySpec key(String base64) {
        byte[] raw = Base64.getDecoder().decode(base64);
        if (raw.length != 32) {
            throw new IllegalArgumentException("dropship.crypto keys must be 32 bytes, base64-encoded");
        }
        return new SecretKeySpec(raw, "AES");
    }

    public String currentKeyId() {
        return currentId;
    }

    public byte[] seal(String plain) {
        try {
            byte[] id = currentId.getBytes(StandardCharsets.US_ASCII);
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(id);
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(2 + id.length + NONCE + sealed.length)
                    .put(MARK)
                    .put((byte) id.length)
                    .put(id)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt", e);
        }
    }

    public String open(byte[] box) {
        String id = keyIdOf(box);
        if (id != null && keys.containsKey(id)) {
            try {
                int start = 2 + id.length();
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, keys.get(id), new GCMParameterSpec(TAG_BITS, box, start, NONCE));
                cipher.updateAAD(id.getBytes(StandardCharsets.US_ASCII));
                return new String(
                        cipher.doFinal(box, start + NONCE, box.length - start - NONCE), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException e) {
                // a legacy value whose random nonce happens to look like a key id: tried as legacy below
            }
        }
        SecretKeySpec legacy = keys.get(LEGACY_ID);
        if (legacy != null) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, legacy, new GCMParameterSpec(TAG_BITS, box, 0, NONCE));
                return new String(cipher.doFinal(box, NONCE, box.length - NONCE), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException e) {
                // falls through to the error below
            }
        }
        throw new IllegalStateException("a stored secret opens with none of the configured keys"
                + (id == null ? "" : " (it names key " + id + ")"));
    }

    /** Whether the value is sealed under the key that seals now; if not, it should be sealed again. */
    public boolean isCurrent(byte[] box) {
        String id = keyIdOf(box);
        if (id == null || !id.equals(currentId)) {
            return false;
        }
        try {
            open(box);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The value opened and sealed again under the current key. */
    public byte[] reseal(byte[] box) {
        return seal(open(box));
    }

    private static String keyIdOf(byte[] box) {
        if (box.length < 2 + NONCE || box[0] != MARK) {
            return null;
        }
        int n = box[1] & 0xff;
        if (n == 0 || box.length < 2 + n + NONCE + TAG_BITS / 8) {
            return null;
        }
        for (int i = 2; i < 2 + n; i++) {
            if (box[i] < 0x21 || box[i] > 0x7e) {
                return null;
            }
        }
        return new String(box, 2, n, StandardCharsets.US_ASCII);
    }
}
