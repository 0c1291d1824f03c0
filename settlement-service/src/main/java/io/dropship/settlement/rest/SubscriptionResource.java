package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.billing.Plans;
import io.dropship.settlement.billing.Plans.PlanView;
import io.dropship.settlement.billing.Subscriptions;
import io.dropship.settlement.domain.Plan;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The plans a retailer can subscribe to, and its subscription: subscribe, change plan, cancel at the period's end.
 * Stripe Billing charges the subscription to the payment method the retailer saved for its orders.
 */
@Path("/api/billing")
@Tag(name = "Billing")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    public record PlanChoice(@NotNull Plan plan) {}

    private final Subscriptions subscriptions;
    private final Caller caller;
    private final Plans plans;

    public SubscriptionResource(Subscriptions subscriptions, Caller caller, Plans plans) {
        this.subscriptions = subscriptions;
        this.caller = caller;
        this.plans = plans;
    }

    @GET
    @Path("plans")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "The plans: monthly price, limits, platform fee, what happens past the order limit, free trial")
    public Uni<List<PlanView>> plans() {
        return plans.all();
    }

    @GET
    @Path("subscription")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary =
                    "The retailer's subscription: plan, Stripe's status, trial and period, grace period, suspension, invoices",
            description = "Staff pass retailerId. 404 before the retailer subscribes.")
    public Uni<Subscriptions.View> subscription(@QueryParam("retailerId") String retailerId) {
        String retailer = caller.retailerScope(retailerId)
                .orElseThrow(() -> ProblemException.badRequest("retailerId is required for staff"));
        return subscriptions.view(retailer);
    }

    @POST
    @Path("subscription")
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary = "Subscribe to a plan, charged monthly to the saved payment method; the first subscription starts"
                    + " with the plan's free trial",
            description =
                    "409 without a saved payment method or with a live subscription (change it with PUT); 402 when"
                            + " the first month's charge is declined (nothing is created).")
    public Uni<Subscriptions.View> subscribe(@Valid @NotNull PlanChoice choice) {
        return subscriptions.subscribe(caller.retailerId(), choice.plan());
    }

    @PUT
    @Path("subscription")
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary = "Change plan: an upgrade is charged now for the rest of the period (prorated), a downgrade is"
                    + " credited on the next invoice; the current plan again undoes a cancellation",
            description =
                    "409 when a downgrade's supplier limit is below the suppliers the retailer lists; 402 when the"
                            + " upgrade's charge is declined (nothing changes). Orders held by the old plan's limit go on.")
    public Uni<Subscriptions.View> change(@Valid @NotNull PlanChoice choice) {
        return subscriptions.change(caller.retailerId(), choice.plan());
    }

    @DELETE
    @Path("subscription")
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary = "Cancel at the end of the period paid for; until then the plan's terms apply, after it BASIC's"
                    + " pay-as-you-go terms")
    public Uni<Subscriptions.View> cancel() {
        return subscriptions.cancel(caller.retailerId());
    }
}
