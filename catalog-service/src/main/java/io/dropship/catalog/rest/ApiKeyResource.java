package io.dropship.catalog.rest;

import io.dropship.catalog.entity.SupplierApiKey;
import io.dropship.catalog.service.SupplierApiKeys;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/suppliers/{supplierId}/api-keys")
@Tag(name = "Supplier API keys")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.SUPPLIER})
public class ApiKeyResource {

    public record NewKeyRequest(@Size(max = 100) String label) {}

    public record KeyView(
            String keyId,
            String label,
            String state,
            Instant createdAt,
            Instant lastUsedAt,
            Instant revokedAt,
            Instant expiresAt,
            String replacedBy) {
        static KeyView of(SupplierApiKey k) {
            Instant now = Instant.now();
            String state = k.revokedAt != null
                    ? "REVOKED"
                    : k.expiresAt == null ? "ACTIVE" : now.isBefore(k.expiresAt) ? "EXPIRING" : "EXPIRED";
            return new KeyView(k.id, k.label, state, k.createdAt, k.lastUsedAt, k.revokedAt, k.expiresAt, k.replacedBy);
        }
    }

    private final SupplierApiKeys keys;
    private final Caller caller;

    public ApiKeyResource(SupplierApiKeys keys, Caller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Make an API key", description = "The answer holds the key's secret; it is never shown again.")
    public Uni<Response> create(@PathParam("supplierId") String supplierId, NewKeyRequest request) {
        requireSelfOrAdmin(supplierId);
        return keys.create(supplierId, request == null ? null : request.label())
                .map(created -> Response.status(201).entity(created).build());
    }

    @GET
    @Operation(summary = "List the supplier's API keys, without their secrets")
    public Uni<Page<KeyView>> list(
            @PathParam("supplierId") String supplierId,
            @jakarta.ws.rs.QueryParam("limit")
                    @jakarta.ws.rs.DefaultValue("100")
                    @jakarta.validation.constraints.Min(1)
                    @jakarta.validation.constraints.Max(500)
                    int limit,
            @jakarta.ws.rs.QueryParam("cursor") String cursor) {
        requireSelfOrAdmin(supplierId);
        return keys.list(supplierId)
                .map(l -> Page.slice(l.stream().map(KeyView::of).toList(), limit, cursor));
    }

    @POST
    @Path("{keyId}/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "Rotate an API key",
            description = "Makes a new key with the same label (its secret is shown once) and retires the old one after"
                    + " graceHours (default 24, 0 = at once, at most 168), so clients can switch without an outage.")
    public Uni<Response> rotate(
            @PathParam("supplierId") String supplierId,
            @PathParam("keyId") String keyId,
            @QueryParam("graceHours") @DefaultValue("24") @Min(0) @Max(168) int graceHours) {
        requireSelfOrAdmin(supplierId);
        return keys.rotate(supplierId, keyId, Duration.ofHours(graceHours))
                .map(created -> Response.status(201).entity(created).build());
    }

    @DELETE
    @Path("{keyId}")
    @Operation(summary = "Revoke an API key; tokens it was exchanged for run out within their short lifetime")
    public Uni<Response> revoke(@PathParam("supplierId") String supplierId, @PathParam("keyId") String keyId) {
        requireSelfOrAdmin(supplierId);
        return keys.revoke(supplierId, keyId).map(v -> Response.noContent().build());
    }

    private void requireSelfOrAdmin(String supplierId) {
        if (caller.is(Roles.ADMIN)) {
            return;
        }
        if (!caller.supplierClaim().map(supplierId::equals).orElse(false)) {
            throw ProblemException.notFound("supplier " + supplierId);
        }
    }
}
