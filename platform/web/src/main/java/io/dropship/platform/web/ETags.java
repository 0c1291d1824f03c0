package io.dropship.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every JSON read answers an ETag (a hash of its body), and a read sent with that tag in If-None-Match while the body
 * is still the same is answered 304 Not Modified with no body: a frontend that polls an order's status, a supplier's
 * queue or the sync status pays for a body only when something changed. The body is serialized here once, and the
 * same bytes are sent.
 */
public class ETags {

    private final ObjectMapper json;

    public ETags(ObjectMapper json) {
        this.json = json;
    }

    @ServerResponseFilter(priority = 5000)
    public void tag(ContainerRequestContext request, ContainerResponseContext response) {
        if (!"GET".equals(request.getMethod())
                || response.getStatus() != 200
                || !response.hasEntity()
                || response.getHeaders().containsKey(HttpHeaders.ETAG)) {
            return;
        }
        Object entity = response.getEntity();
        if (entity instanceof byte[]
                || entity instanceof String
                || entity instanceof InputStream
                || entity.getClass().getName().startsWith("io.smallrye.mutiny")
                || !json(response.getMediaType())) {
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(entity);
        } catch (JsonProcessingException e) {
            return; // the writer will fail on it the same way and answer the error
        }
        EntityTag tag = new EntityTag(hash(body));
        response.getHeaders().putSingle(HttpHeaders.ETAG, tag.toString());
        String match = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        if (match != null && matches(match, tag)) {
            response.setStatus(304);
            response.setEntity(null);
            return;
        }
        response.setEntity(body, new java.lang.annotation.Annotation[0], MediaType.APPLICATION_JSON_TYPE);
    }

    private static boolean json(MediaType type) {
        return type == null
                || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)
                || type.getSubtype().endsWith("+json");
    }

    static boolean matches(String ifNoneMatch, EntityTag tag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(tag.toString()) || c.equals("W/" + tag)) {
                return true;
            }
        }
        return false;
    }

    private static String hash(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
