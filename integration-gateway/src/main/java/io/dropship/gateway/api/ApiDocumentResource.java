package io.dropship.gateway.api;

import io.quarkus.vertx.http.ManagementInterface;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The one API's OpenAPI document (contracts/openapi/dropship-api.json, built into the gateway): public at
 * {@code /api/openapi.json} for the frontend team and its tools, and on the management port beside the gateway's
 * own document, where Swagger UI shows it first.
 */
@Path("/api/openapi.json")
@Tag(name = "API document")
public class ApiDocumentResource {

    static final String DOCUMENT;
    static final EntityTag TAG;

    static {
        try (InputStream in = ApiDocumentResource.class.getResourceAsStream("/META-INF/dropship-api.json")) {
            DOCUMENT = in == null ? "{}" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            TAG = new EntityTag(HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(DOCUMENT.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @GET
    @PermitAll
    @Produces("application/json")
    @Operation(summary = "The OpenAPI document of the whole API (this document)")
    public Response document(Request request) {
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(TAG);
        return (unchanged != null ? unchanged : Response.ok(DOCUMENT))
                .tag(TAG)
                .header("Cache-Control", "no-cache")
                .build();
    }

    void management(@Observes ManagementInterface management) {
        management
                .router()
                .get("/q/dropship-api.json")
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .end(DOCUMENT));
    }
}
