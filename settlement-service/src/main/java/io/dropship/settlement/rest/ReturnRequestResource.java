package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.service.ReturnRequests;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Returns of some units of some lines, authorised by the supplier under its policy: the retailer asks, the supplier
 * authorises with instructions or refuses (support may overrule), the supplier marks the parcel received, and only
 * then is the retailer refunded and the supplier's transfer reversed for those units.
 */
@Path("/api/return-requests")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class ReturnRequestResource {

    public record LineIn(
            @NotBlank @Size(max = 100) String lineId,
            @Min(1) @Max(10000) int quantity) {}

    public record Ask(
            @NotNull UUID supplierOrderId,
            @NotEmpty @Size(max = 100) List<@Valid LineIn> lines,
            @NotBlank @Size(max = 500) String reason) {}

    public record Authorise(
            @NotBlank @Size(max = 2000) String instructions,
            @Size(max = 500) String note) {}

    public record Refuse(@NotBlank @Size(max = 500) String reason) {}

    public record Received(@NotNull Boolean sellable) {}

    private final Mutiny.SessionFactory sessions;
    private final ReturnRequests returns;
    private final Caller caller;

    public ReturnRequestResource(Mutiny.SessionFactory sessions, ReturnRequests returns, Caller caller) {
        this.sessions = sessions;
        this.returns = returns;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(
            summary = "Ask to return some units of some lines of a shipped supplier order (a retailer its own)",
            description =
                    "409 when the supplier takes no returns, the window has passed, or more units are asked for than are "
                            + "left; the supplier then authorises or refuses.")
    public Uni<Response> ask(@Valid @NotNull Ask body) {
        Map<String, Integer> units = new LinkedHashMap<>();
        for (LineIn l : body.lines()) {
            if (units.merge(l.lineId(), l.quantity(), Integer::sum) > 10000) {
                throw ProblemException.badRequest("too many units of line " + l.lineId());
            }
        }
        String scope = caller.isStaff() ? null : caller.retailerId();
        return sessions.withTransaction(
                        s -> returns.request(s, scope, caller.name(), body.supplierOrderId(), units, body.reason()))
                .chain(id -> sessions.withSession(s -> returns.view(s, id)))
                .map(v -> Response.status(201).entity(v).build());
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "Line returns, newest first: a retailer's or supplier's own, any for staff; by status")
    public Uni<List<ReturnRequests.View>> list(
            @QueryParam("status")
                    @jakarta.validation.constraints.Pattern(regexp = "REQUESTED|AUTHORISED|REFUSED|RECEIVED|REFUNDED")
                    String status) {
        String retailer = caller.isStaff() || caller.is(Roles.SUPPLIER) ? null : caller.retailerId();
        String supplier = !caller.isStaff() && caller.is(Roles.SUPPLIER) ? caller.supplierId() : null;
        return sessions.withSession(s -> returns.list(s, retailer, supplier, status));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "One line return (its retailer, its supplier, or staff)")
    public Uni<ReturnRequests.View> get(@PathParam("id") UUID id) {
        return sessions.withSession(s -> returns.find(s, id)).invoke(v -> {
            boolean own = caller.isStaff()
                    || (caller.is(Roles.SUPPLIER) && caller.supplierId().equals(v.supplierId()))
                    || (caller.is(Roles.RETAILER) && caller.retailerId().equals(v.retailerId()));
            if (!own) {
                throw ProblemException.notFound("return " + id);
            }
        });
    }

    @POST
    @Path("{id}/authorise")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(
            summary =
                    "Authorise a requested return with return instructions (the supplier); what it gives back is fixed now")
    public Uni<ReturnRequests.View> authorise(@PathParam("id") UUID id, @Valid @NotNull Authorise body) {
        return sessions.withTransaction(s -> returns.authorise(
                        s, id, caller.supplierId(), caller.name(), body.instructions(), false, body.note()))
                .chain(() -> sessions.withSession(s -> returns.view(s, id)));
    }

    @POST
    @Path("{id}/refuse")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(summary = "Refuse a requested return with a reason (the supplier); support may overrule it")
    public Uni<ReturnRequests.View> refuse(@PathParam("id") UUID id, @Valid @NotNull Refuse body) {
        return sessions.withTransaction(s -> returns.refuse(s, id, caller.supplierId(), caller.name(), body.reason()))
                .chain(() -> sessions.withSession(s -> returns.view(s, id)));
    }

    @POST
    @Path("{id}/overrule")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "Authorise a refused return over the supplier's refusal (support), with instructions and why")
    public Uni<ReturnRequests.View> overrule(@PathParam("id") UUID id, @Valid @NotNull Authorise body) {
        return sessions.withTransaction(
                        s -> returns.authorise(s, id, null, caller.name(), body.instructions(), true, body.note()))
                .chain(() -> sessions.withSession(s -> returns.view(s, id)));
    }

    @POST
    @Path("{id}/received")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(
            summary =
                    "The supplier has the parcel back: the retailer is refunded and the transfer reversed for those units",
            description = "sellable: the units go back into the supplier's stock.")
    public Uni<ReturnRequests.View> received(@PathParam("id") UUID id, @Valid @NotNull Received body) {
        return sessions.withTransaction(
                        s -> returns.received(s, id, caller.supplierId(), caller.name(), body.sellable()))
                .chain(() -> sessions.withSession(s -> returns.view(s, id)));
    }
}
