package io.dropship.catalog.rest;

import io.dropship.catalog.service.SupplierApiKeys;
import io.dropship.platform.web.TokenIssuer;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/auth/supplier-token")
@Tag(name = "Supplier API keys")
@Produces(MediaType.APPLICATION_JSON)
public class SupplierTokenResource {

    private final SupplierApiKeys keys;

    public SupplierTokenResource(SupplierApiKeys keys) {
        this.keys = keys;
    }

    @POST
    @PermitAll
    @Operation(summary = "Exchange an API key (X-Api-Key header) for a short-lived supplier token")
    public Uni<TokenIssuer.IssuedToken> exchange(@HeaderParam("X-Api-Key") String apiKey) {
        return keys.exchange(apiKey);
    }
}
