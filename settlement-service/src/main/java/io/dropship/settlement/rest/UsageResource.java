package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.billing.Plans;
import io.dropship.settlement.billing.Plans.Usage;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where a retailer stands against its plan's limits: orders this month, suppliers, and its subscription. */
@Path("/api/billing/usage")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private final Plans plans;
    private final Caller caller;

    public UsageResource(Plans plans, Caller caller) {
        this.plans = plans;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "The retailer's plan and how far it is used: orders invoiced this month (UTC) against its limit,"
                    + " suppliers listed against its limit, orders held by the limit, the subscription's standing",
            description =
                    "overLimit: orders this month past the limit (invoiced at the BASIC fee on an OVERAGE plan, held"
                            + " on a HOLD plan). Staff pass retailerId.")
    public Uni<Usage> usage(@QueryParam("retailerId") String retailerId) {
        String retailer = caller.retailerScope(retailerId)
                .orElseThrow(() -> ProblemException.badRequest("retailerId is required for staff"));
        return plans.usage(retailer);
    }
}
