package io.dropship.catalog.rest;

import io.dropship.catalog.domain.BusinessType;
import io.dropship.catalog.domain.SupplierStatus;
import io.dropship.catalog.repository.Supplier;
import io.dropship.catalog.service.SupplierDirectory;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Path("/api/suppliers")
@Tag(name = "Suppliers")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SupplierResource {

    public record RegistrationRequest(
            @NotBlank @Size(max = 200) String companyName,
            @NotBlank @Email @Size(max = 200) String contactEmail,
            @NotNull BusinessType businessType,
            @NotBlank @Pattern(regexp = "[A-Z]{2}(-[A-Z0-9]{1,3})?", message = "must be a country or region code such as US or US-CA")
            String shipFromRegion) {
    }

    public record StatusChange(@NotNull SupplierStatus status, @Size(max = 500) String reason) {
    }

    public record SupplierView(String supplierId, String companyName, String contactEmail, BusinessType businessType,
                               String shipFromRegion, SupplierStatus status, String statusReason, Instant createdAt,
                               Instant updatedAt) {
        static SupplierView of(Supplier s) {
            return new SupplierView(s.id, s.companyName, s.contactEmail, s.businessType, s.shipFromRegion, s.status,
                    s.statusReason, s.createdAt, s.updatedAt);
        }
    }

    private final SupplierDirectory suppliers;
    private final Caller caller;

    public SupplierResource(SupplierDirectory suppliers, Caller caller) {
        this.suppliers = suppliers;
        this.caller = caller;
    }

    @POST
    @PermitAll
    @Operation(summary = "Register as a supplier", description = "The supplier starts PENDING until an admin approves it.")
    public Uni<Response> register(@Valid @NotNull RegistrationRequest request) {
        return suppliers.register(new SupplierDirectory.Registration(request.companyName(), request.contactEmail(),
                        request.businessType(), request.shipFromRegion()))
                .map(s -> Response.status(201).entity(SupplierView.of(s)).build());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "List suppliers, optionally by status")
    public Uni<List<SupplierView>> list(@QueryParam("status") SupplierStatus status) {
        return suppliers.list(Optional.ofNullable(status)).map(l -> l.stream().map(SupplierView::of).toList());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.SUPPLIER})
    @Operation(summary = "One supplier: staff see any, a supplier itself")
    public Uni<SupplierView> get(@PathParam("id") String id) {
        requireSelfOrStaff(caller, id);
        return suppliers.get(id).map(SupplierView::of);
    }

    @POST
    @Path("{id}/status")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Approve (ACTIVE) or suspend (SUSPENDED, with a reason) a supplier")
    public Uni<SupplierView> changeStatus(@PathParam("id") String id, @Valid @NotNull StatusChange change) {
        return suppliers.changeStatus(id, change.status(), change.reason()).map(SupplierView::of);
    }

    /** A supplier acts only on itself; staff on anyone. Others learn nothing about whether the supplier exists. */
    static void requireSelfOrStaff(Caller caller, String supplierId) {
        if (caller.isStaff()) {
            return;
        }
        if (!caller.supplierClaim().map(supplierId::equals).orElse(false)) {
            throw ProblemException.notFound("supplier " + supplierId);
        }
    }
}
