package io.dropship.catalog.rest;

import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP body limit is raised for catalog imports, which are streamed; every other request keeps a small limit,
 * checked on its declared length before any of the body is read. A body that declares no length (chunked, or HTTP/2
 * without content-length) is counted as it is read, against the same small limit (Quarkus's per-request limit, which
 * its own upload-limit route sets to the raised value just before this one), so it cannot run to gigabytes on an
 * endpoint that expects a small JSON document.
 */
@ApplicationScoped
public class BodyLimits {

    private final long jsonLimit;

    public BodyLimits(@ConfigProperty(name = "dropship.http.json-body-limit", defaultValue = "1048576") long jsonLimit) {
        this.jsonLimit = jsonLimit;
    }

    void install(@Observes Router router) {
        // Right after Quarkus's upload-limit route (order -2), which puts the raised limit on every request.
        router.route().order(-1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            boolean imports = ctx.request().path().startsWith("/api/supplier/imports");
            if (length == null && !imports) {
                ctx.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, jsonLimit);
            }
            if (length != null && !imports) {
                long declared;
                try {
                    declared = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    declared = Long.MAX_VALUE;
                }
                if (declared > jsonLimit) {
                    ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                            .end("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":"
                                    + "\"the body is larger than " + jsonLimit + " bytes; catalog files go to"
                                    + " /api/supplier/imports\"}");
                    return;
                }
            }
            ctx.next();
        });
    }
}
