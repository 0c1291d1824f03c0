package io.dropship.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * Opaque list cursors: the keyset values of the last item of a page (an instant, an id...), base64url-encoded. A
 * client passes them back unchanged; one that is not ours is a 400 problem of type cursor-not-valid, never a 500.
 */
public final class Cursors {

    private static final String SEPARATOR = "\u001f";

    private Cursors() {}

    public static String encode(Object... parts) {
        String joined =
                Arrays.stream(parts).map(p -> p == null ? "" : p.toString()).collect(Collectors.joining(SEPARATOR));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's parts, or null when there is no cursor (the first page). */
    public static String[] decode(String cursor, int parts) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            if (cursor.length() > 512) {
                throw new IllegalArgumentException("too long");
            }
            String[] values =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(SEPARATOR, -1);
            if (values.length != parts) {
                throw new IllegalArgumentException("wrong shape");
            }
            return values;
        } catch (IllegalArgumentException e) {
            throw notValid();
        }
    }

    /** The one key of a single-key cursor, or null on the first page. */
    public static String after(String cursor) {
        String[] parts = decode(cursor, 1);
        return parts == null ? null : parts[0];
    }

    /** The one key of a single-key cursor read as the value it was written from, or null on the first page. */
    public static <T> T after(String cursor, java.util.function.Function<String, T> parse) {
        String key = after(cursor);
        return key == null ? null : part(key, parse);
    }

    public static ProblemException notValid() {
        return ProblemException.badRequest("the cursor is not valid: pass back a nextCursor this list answered")
                .type("cursor-not-valid");
    }

    /** A part of a cursor read as the value it was written from; a part that does not parse is a cursor not ours. */
    public static <T> T part(String value, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (RuntimeException e) {
            throw notValid();
        }
    }
}
