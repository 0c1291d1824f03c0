package io.dropship.fulfillment.rest;

import io.dropship.fulfillment.service.SupplierDesk;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/supplier/callback")
@Tag(name = "Supplier order callback")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class SupplierCallbackResource {

    public record CallbackRequest(@NotBlank @Size(max = 500) String url, boolean enabled, boolean rotateSecret) {
    }

    private final SupplierDesk desk;
    private final Caller caller;

    public SupplierCallbackResource(SupplierDesk desk, Caller caller) {
        this.desk = desk;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Where the supplier's orders are pushed (the signing secret is never shown again)")
    public Uni<SupplierDesk.CallbackSettings> get() {
        return desk.callback(caller.supplierId());
    }

    @PUT
    @Operation(summary = "Set the endpoint orders are pushed to",
            description = "The first time, or with rotateSecret, the answer carries a new signing secret, shown once.")
    public Uni<SupplierDesk.CallbackSettings> set(@Valid @NotNull CallbackRequest request) {
        return desk.setCallback(caller.supplierId(), request.url(), request.enabled(), request.rotateSecret());
    }
}
