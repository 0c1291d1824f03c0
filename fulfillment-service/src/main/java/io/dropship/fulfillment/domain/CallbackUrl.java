package io.dropship.fulfillment.domain;

import java.net.URI;
import java.net.URISyntaxException;

/** A supplier's callback endpoint: absolute HTTPS, except plain HTTP on loopback for local testing. */
public final class CallbackUrl {

    private CallbackUrl() {
    }

    public static URI parse(String url) {
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
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new IllegalArgumentException("the callback URL must use https: " + url);
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("the callback URL must not carry credentials");
        }
        return uri;
    }
}
