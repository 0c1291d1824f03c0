package io.dropship.platform.web;

import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * The HTTP body limit is raised for the paths that stream large files ({@code dropship.http.streamed-paths}: catalog
 * imports, at the catalog and at the gateway that forwards them); every other request keeps a small limit,
 * checked on its declared length before any of the body is read. A body that declares no length (chunked, or HTTP/2
 * without content-length) is counted as it is read, against the same small limit (Quarkus's per-request limit, which
 * its own upload-limit route sets to the raised value just before this one), so it cannot run to gigabytes on an
 * endpoint that expects a small JSON document.
 */
@ApplicationScoped
public class BodyLimits {

    private final long jsonLimit;
    private final List<String> streamed;

    public BodyLimits(EdgeConfig.Http config) {
        this.jsonLimit = config.jsonBodyLimit();
        this.streamed = config.streamedPaths().orElse(List.of());
    }

    void install(@Observes Router router) {
        // Right after Quarkus's upload-limit route (order -2), which puts the raised limit on every request.
        router.route().order(-1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            String path = ctx.request().path();
            boolean imports = streamed.stream().anyMatch(path::startsWith);
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
                    ctx.response()
                            .setStatusCode(413)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                            .end(
                                    "{\"type\":\"urn:dropship:problem:content-too-large\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":"
                                            + "\"the body is larger than " + jsonLimit + " bytes\"}");
                    return;
                }
            }
            ctx.next();
        });
    }
}
