package io.dropship.catalog.rest;

import io.dropship.catalog.domain.BusinessType;
import io.dropship.catalog.domain.ShippingMethod;
import io.dropship.catalog.domain.SupplierStatus;
import io.dropship.catalog.domain.VerificationStep;
import io.dropship.catalog.entity.Supplier;
import io.dropship.catalog.service.Suppliers;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/suppliers")
@Tag(name = "Suppliers")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SupplierResource {

    public record RegistrationRequest(
            @NotBlank @Size(max = 200) String companyName,
            @NotBlank @Email @Size(max = 200) String contactEmail,
            @NotNull BusinessType businessType,

            @NotBlank
            @Pattern(
                    regexp = "[A-Z]{2}(-[A-Z0-9]{1,3})?",
                    message = "must be a country or region code such as US or US-CA")
            String shipFromRegion,

            @Size(max = 200) String contactName,

            @Size(max = 40) @Pattern(regexp = "[+0-9 ()./-]{3,40}", message = "must be a phone number")
            String contactPhone,

            @Size(max = 5) List<@NotNull ShippingMethod> shippingMethods,
            @Min(0) @Max(60) Integer handlingDays,

            @DecimalMin("0.00") @Digits(integer = 10, fraction = 2)
            BigDecimal minimumOrderValue) {}

    public record ProfileRequest(
            @Size(max = 200) String contactName,

            @Size(max = 40) @Pattern(regexp = "[+0-9 ()./-]{3,40}", message = "must be a phone number")
            String contactPhone,

            @Size(max = 5) List<@NotNull ShippingMethod> shippingMethods,
            @Min(0) @Max(60) Integer handlingDays,

            @DecimalMin("0.00") @Digits(integer = 10, fraction = 2)
            BigDecimal minimumOrderValue) {}

    public record StatusChange(
            @NotNull SupplierStatus status, @Size(max = 500) String reason) {}

    public record CheckRequest(
            @NotNull Suppliers.Outcome outcome,
            @Size(max = 500) String note) {}

    public record SupplierView(
            String supplierId,
            String companyName,
            String contactEmail,
            BusinessType businessType,
            String shipFromRegion,
            String contactName,
            String contactPhone,
            List<String> shippingMethods,
            int handlingDays,
            BigDecimal minimumOrderValue,
            SupplierStatus status,
            String statusReason,
            Instant createdAt,
            Instant updatedAt) {
        static SupplierView of(Supplier s) {
            return new SupplierView(
                    s.id,
                    s.companyName,
                    s.contactEmail,
                    s.businessType,
                    s.shipFromRegion,
                    s.contactName,
                    s.contactPhone,
                    Suppliers.shippingMethods(s),
                    s.handlingDays,
                    s.minimumOrderValue,
                    s.status,
                    s.statusReason,
                    s.createdAt,
                    s.updatedAt);
        }
    }

    public record VerificationView(
            String supplierId, SupplierStatus status, boolean complete, List<Suppliers.Check> steps) {}

    private final Suppliers suppliers;
    private final Caller caller;

    public SupplierResource(Suppliers suppliers, Caller caller) {
        this.suppliers = suppliers;
        this.caller = caller;
    }

    @POST
    @PermitAll
    @Operation(
            summary = "Register as a supplier",
            description = "The supplier starts PENDING until an admin approves it.")
    public Uni<Response> register(@Valid @NotNull RegistrationRequest request) {
        return suppliers
                .register(new Suppliers.Registration(
                        request.companyName(),
                        request.contactEmail(),
                        request.businessType(),
                        request.shipFromRegion(),
                        new Suppliers.Profile(
                                request.contactName(),
                                request.contactPhone(),
                                request.shippingMethods(),
                                request.handlingDays(),
                                request.minimumOrderValue())))
                .map(s -> Response.status(201).entity(SupplierView.of(s)).build());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "List suppliers by id, optionally by status, a page at a time")
    public Uni<Page<SupplierView>> list(
            @QueryParam("status") SupplierStatus status,
            @QueryParam("limit")
                    @jakarta.ws.rs.DefaultValue("100")
                    @jakarta.validation.constraints.Min(1)
                    @jakarta.validation.constraints.Max(500)
                    int limit,
            @QueryParam("cursor") String cursor) {
        return suppliers
                .list(Optional.ofNullable(status), Cursors.after(cursor), limit + 1)
                .map(l ->
                        Page.of(l.stream().map(SupplierView::of).toList(), limit, v -> new Object[] {v.supplierId()}));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.SUPPLIER})
    @Operation(summary = "One supplier: staff see any, a supplier itself")
    public Uni<SupplierView> get(@PathParam("id") String id) {
        requireSelfOrStaff(caller, id);
        return suppliers.get(id).map(SupplierView::of);
    }

    @PUT
    @Path("{id}/profile")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPLIER})
    @Operation(
            summary = "Change the supplier's contact, shipping methods, fulfilment speed or minimum order value",
            description = "Fields left out keep their value. The supplier itself or an admin.")
    public Uni<SupplierView> updateProfile(@PathParam("id") String id, @Valid @NotNull ProfileRequest request) {
        if (!caller.is(Roles.ADMIN)) {
            requireSelfOrStaff(caller, id);
        }
        return suppliers
                .updateProfile(
                        id,
                        new Suppliers.Profile(
                                request.contactName(),
                                request.contactPhone(),
                                request.shippingMethods(),
                                request.handlingDays(),
                                request.minimumOrderValue()))
                .map(SupplierView::of);
    }

    @GET
    @Path("{id}/verification")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.SUPPLIER})
    @Operation(
            summary = "The verification steps and where each stands",
            description =
                    "BUSINESS_REGISTRATION, TAX_ID, PAYOUT_ACCOUNT and PRODUCT_SAMPLE, each OPEN, PASSED or FAILED.")
    public Uni<VerificationView> verification(@PathParam("id") String id) {
        requireSelfOrStaff(caller, id);
        return verificationView(id);
    }

    @POST
    @Path("{id}/verification/{step}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Record the outcome of one verification step (PASSED, or FAILED with a note)")
    public Uni<VerificationView> check(
            @PathParam("id") String id,
            @PathParam("step") VerificationStep step,
            @Valid @NotNull CheckRequest request) {
        return suppliers
                .check(id, step, request.outcome(), request.note(), caller.name())
                .chain(() -> verificationView(id));
    }

    private Uni<VerificationView> verificationView(String id) {
        return suppliers
                .get(id)
                .chain(s -> suppliers
                        .verification(id)
                        .map(steps -> new VerificationView(
                                id,
                                s.status,
                                steps.stream().allMatch(c -> c.outcome() == Suppliers.Outcome.PASSED),
                                steps)));
    }

    @GET
    @Path("{id}/history")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.SUPPLIER})
    @Operation(summary = "Every status change of the supplier, with its reason and who made it")
    public Uni<Page<Suppliers.StatusChange>> history(
            @PathParam("id") String id,
            @QueryParam("limit")
                    @jakarta.ws.rs.DefaultValue("100")
                    @jakarta.validation.constraints.Min(1)
                    @jakarta.validation.constraints.Max(500)
                    int limit,
            @QueryParam("cursor") String cursor) {
        requireSelfOrStaff(caller, id);
        return suppliers.history(id).map(l -> Page.slice(l, limit, cursor));
    }

    @POST
    @Path("{id}/status")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Approve (ACTIVE) or suspend (SUSPENDED, with a reason) a supplier",
            description = "A PENDING supplier is approved only when every verification step has PASSED (409 names the"
                    + " steps still open or failed). Suspension takes the supplier's offers out of routing at once.")
    public Uni<SupplierView> changeStatus(@PathParam("id") String id, @Valid @NotNull StatusChange change) {
        return suppliers
                .changeStatus(id, change.status(), change.reason(), caller.name())
                .map(SupplierView::of);
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
