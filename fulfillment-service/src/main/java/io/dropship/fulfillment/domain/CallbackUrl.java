package io.dropship.fulfillment.domain;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A supplier's callback endpoint: absolute HTTPS on the public internet ({@link io.dropship.platform.web.Egress}), so
 * a supplier cannot make the platform call into its own network. Where private addresses are allowed (dev, tests,
 * the local fleet) plain HTTP on loopback is accepted too, for a supplier system on the same machine.
 */
public final class CallbackUrl {

    private CallbackUrl() {}

    /** As production checks it: https, and every address the host resolves to on the public internet. */
    public static URI parse(String url) {
        return parse(url, false);
    }

    public static URI parse(String url, boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new IllegalArgumentException("the callback URL must be absolute: " + url);
        }
        boolean loopback = uri.getHost().equals("localhost") || uri.getHost().startsWith("127.");
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback && allowPrivate)) {
            throw new IllegalArgumentException("the callback URL must use https: " + url);
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("the callback URL must not carry credentials");
        }
        String refused = allowPrivate ? null : io.dropship.platform.web.Egress.refusal(uri);
        if (refused != null) {
            throw new IllegalArgumentException("the callback URL must reach the public internet: " + refused);
        }
        return uri;
    }
}
