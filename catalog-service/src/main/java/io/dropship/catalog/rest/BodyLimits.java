package io.dropship.catalog.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP body limit is raised for catalog imports, which are streamed; every other request keeps a small limit,
 * checked on its declared length before any of the body is read.
 */
@ApplicationScoped
public class BodyLimits {

    private final long jsonLimit;

    public BodyLimits(@ConfigProperty(name = "dropship.http.json-body-limit", defaultValue = "1048576") long jsonLimit) {
        this.jsonLimit = jsonLimit;
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && !ctx.request().path().startsWith("/api/supplier/imports")) {
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
