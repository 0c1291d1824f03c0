package io.dropship.order.rest;

import io.dropship.order.service.Cases;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Cases: when something went wrong with an order after it left (a missing parcel, a damaged or wrong item, a late
 * delivery). The retailer (its own orders), the supplier (its own supplier orders) and support open and write;
 * support resolves with an outcome the platform carries out.
 */
@Path("/api/cases")
@Tag(name = "Cases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
public class CaseResource {

    /** An attachment by reference: the file stays where it is (an https URL), the case keeps its name and link. */
    public record AttachmentIn(
            @NotBlank @Size(max = 200) String name,

            @NotBlank @Size(max = 1000) @Pattern(regexp = "https://[^\\s\"'<>]+", message = "is an https URL")
            String url,

            @Size(max = 100) String contentType) {}

    public record Open(
            @NotNull UUID orderId,
            UUID supplierOrderId,

            @NotNull
            @Pattern(
                    regexp = "MISSING_PARCEL|DAMAGED_ITEM|WRONG_ITEM|LATE_DELIVERY",
                    message = "is MISSING_PARCEL, DAMAGED_ITEM, WRONG_ITEM or LATE_DELIVERY")
            String kind,

            @NotBlank @Size(max = 300) String subject,
            @NotBlank @Size(max = 4000) String message,
            @Size(max = 10) List<@Valid AttachmentIn> attachments) {}

    public record MessageIn(
            @NotBlank @Size(max = 4000) String body,
            @Size(max = 10) List<@Valid AttachmentIn> attachments) {}

    public record StatusIn(
            @NotNull
            @Pattern(
                    regexp = "OPEN|WAITING_ON_SUPPLIER|WAITING_ON_RETAILER",
                    message = "is OPEN, WAITING_ON_SUPPLIER or WAITING_ON_RETAILER")
            String status) {}

    /** amount and chargeTo for a REFUND only. */
    public record Resolve(
            @NotNull @Pattern(regexp = "REFUND|RESHIP|NO_ACTION", message = "is REFUND, RESHIP or NO_ACTION")
            String outcome,

            @DecimalMin("0.01") @Digits(integer = 12, fraction = 2)
            BigDecimal amount,

            @Pattern(regexp = "SUPPLIER|PLATFORM", message = "is SUPPLIER or PLATFORM")
            String chargeTo,

            @Size(max = 1000) String note) {}

    private final Cases cases;
    private final Caller caller;
    private final Mutiny.SessionFactory sessions;

    public CaseResource(Cases cases, Caller caller, Mutiny.SessionFactory sessions) {
        this.cases = cases;
        this.caller = caller;
        this.sessions = sessions;
    }

    private Cases.Actor actor() {
        if (caller.is(Roles.ADMIN)) {
            return new Cases.Actor("ADMIN", caller.name(), null);
        }
        if (caller.is(Roles.SUPPORT)) {
            return new Cases.Actor("SUPPORT", caller.name(), null);
        }
        if (caller.is(Roles.SUPPLIER)) {
            return new Cases.Actor("SUPPLIER", caller.name(), caller.supplierId());
        }
        return new Cases.Actor("RETAILER", caller.name(), caller.retailerId());
    }

    private static List<Cases.Attachment> attachments(List<AttachmentIn> in) {
        return in == null
                ? List.of()
                : in.stream()
                        .map(a -> new Cases.Attachment(a.name(), a.url(), a.contentType()))
                        .toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Open a case on an order or one of its supplier orders (a retailer its own, a supplier its own supplier order)",
            description =
                    "It waits on the supplier when the retailer opens it on a supplier order, on the retailer when the "
                            + "supplier opens it. 404 for an order or supplier order that is not the caller's.")
    public Uni<Response> open(@Valid @NotNull Open body) {
        Cases.Actor actor = actor();
        return sessions.withTransaction(s -> cases.open(
                        s,
                        actor,
                        body.orderId(),
                        body.supplierOrderId(),
                        Cases.Kind.valueOf(body.kind()),
                        body.subject(),
                        body.message(),
                        attachments(body.attachments())))
                .chain(id -> sessions.withSession(s -> cases.get(s, actor, id)))
                .map(v -> Response.status(201).entity(v).build());
    }

    @GET
    @Operation(summary = "Cases, newest first: a retailer's or supplier's own, any for staff; by status, kind or order")
    public Uni<Page<Cases.CaseView>> list(
            @QueryParam("status") @Pattern(regexp = "OPEN|WAITING_ON_SUPPLIER|WAITING_ON_RETAILER|RESOLVED")
                    String status,
            @QueryParam("kind") @Pattern(regexp = "MISSING_PARCEL|DAMAGED_ITEM|WRONG_ITEM|LATE_DELIVERY|DISPUTE")
                    String kind,
            @QueryParam("orderId") UUID orderId,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        Instant before = Cursors.after(cursor, Instant::parse);
        Cases.Actor actor = actor();
        return sessions.withSession(s -> cases.list(s, actor, status, kind, orderId, before, limit + 1))
                .map(rows ->
                        Page.of(rows, limit, v -> new Object[] {v.openedAt().toString()}));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One case with its messages (404 unless the caller is a party to it)")
    public Uni<Cases.CaseView> get(@PathParam("id") UUID id) {
        Cases.Actor actor = actor();
        return sessions.withSession(s -> cases.get(s, actor, id));
    }

    @POST
    @Path("{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Write to the other parties (attachments by reference); the case then waits on them (409 once resolved)")
    public Uni<Cases.CaseView> message(@PathParam("id") UUID id, @Valid @NotNull MessageIn body) {
        Cases.Actor actor = actor();
        return sessions.withTransaction(s -> cases.message(s, actor, id, body.body(), attachments(body.attachments())))
                .chain(() -> sessions.withSession(s -> cases.get(s, actor, id)));
    }

    @POST
    @Path("{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "Say whose turn it is (support)")
    public Uni<Cases.CaseView> status(@PathParam("id") UUID id, @Valid @NotNull StatusIn body) {
        Cases.Actor actor = actor();
        return sessions.withTransaction(s -> cases.status(s, actor, id, Cases.Status.valueOf(body.status())))
                .chain(() -> sessions.withSession(s -> cases.get(s, actor, id)));
    }

    @POST
    @Path("{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SUPPORT, Roles.ADMIN})
    @Operation(
            summary =
                    "Resolve the case with its outcome, carried out by the platform (support; a REFUND moves money: admins)",
            description =
                    "REFUND: amount (at most what the supplier order cost the retailer) refunded to the retailer, from the "
                            + "supplier's transfer (chargeTo SUPPLIER, the default) or at the platform's cost (PLATFORM); RESHIP: the "
                            + "supplier order goes to its supplier again at no charge to the retailer; NO_ACTION. 409 when resolved.")
    public Uni<Cases.CaseView> resolve(@PathParam("id") UUID id, @Valid @NotNull Resolve body) {
        Cases.Actor actor = actor();
        Cases.Outcome outcome = Cases.Outcome.valueOf(body.outcome());
        if (outcome == Cases.Outcome.REFUND && !caller.is(Roles.ADMIN)) {
            throw io.dropship.platform.web.ProblemException.forbidden(
                    "a refund moves money: an admin resolves with REFUND");
        }
        return sessions.withTransaction(s -> cases.resolve(
                        s,
                        actor,
                        id,
                        outcome,
                        body.amount(),
                        body.chargeTo() == null ? "SUPPLIER" : body.chargeTo(),
                        body.note()))
                .chain(() -> sessions.withSession(s -> cases.get(s, actor, id)));
    }
}
