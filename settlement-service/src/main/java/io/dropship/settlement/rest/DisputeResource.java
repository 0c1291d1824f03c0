package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.service.Disputes;
import io.dropship.settlement.service.Disputes.Dispute;
import io.dropship.settlement.stripe.DisputeEvidence;
import io.dropship.settlement.stripe.DisputeEvidence.Evidence;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Card disputes of the retailers' charges: what Stripe reported, what it moved (the disputed amount, the dispute fee),
 * the suppliers' shares taken back by policy, and the evidence support submits to Stripe. While a dispute is open its
 * payment's supplier transfers wait; its case at order-service follows it.
 */
@Path("/api/disputes")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class DisputeResource {

    private final Mutiny.SessionFactory sessions;
    private final DisputeEvidence evidence;
    private final Caller caller;

    public DisputeResource(Mutiny.SessionFactory sessions, DisputeEvidence evidence, Caller caller) {
        this.sessions = sessions;
        this.evidence = evidence;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.RETAILER})
    @Operation(summary = "Card disputes, newest first (a retailer its own): open ones or closed ones")
    public Uni<List<Dispute>> list(@QueryParam("state") @Pattern(regexp = "open|closed") String state) {
        String retailer = caller.isStaff() ? null : caller.retailerId();
        return sessions.withSession(s -> Disputes.list(s, retailer, state));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.RETAILER})
    @Operation(summary = "One card dispute (a retailer its own)")
    public Uni<Dispute> get(@PathParam("id") String id) {
        return sessions.withSession(s -> Disputes.find(s, id, caller.isStaff() ? null : caller.retailerId()));
    }

    @POST
    @Path("{id}/evidence")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "Submit the evidence of an open dispute to Stripe (support), once",
            description =
                    "Tracking, carrier, shipping date (the supplier order's when left out), a product description, the "
                            + "delivery confirmation and any other text, submitted for the card network's review. 409 when the dispute "
                            + "is closed or its evidence was submitted; a Stripe refusal is answered with Stripe's words.")
    public Uni<Dispute> evidence(@PathParam("id") String id, @Valid @NotNull Evidence body) {
        return evidence.submit(id, body, caller.name());
    }
}
