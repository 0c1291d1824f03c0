package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/** Where a retailer stands against its plan's monthly order limit. */
@Path("/api/billing/usage")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    public record Usage(String retailerId, String plan, Integer monthlyOrderLimit, long ordersThisMonth, long overLimit) {
    }

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    public UsageResource(Mutiny.SessionFactory sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The retailer's plan, its monthly order limit and the orders invoiced this month (UTC)",
            description = "overLimit: orders this month past the limit, invoiced at the BASIC fee. Staff pass retailerId.")
    public Uni<Usage> usage(@QueryParam("retailerId") String retailerId) {
        String retailer = caller.retailerScope(retailerId)
                .orElseThrow(() -> ProblemException.badRequest("retailerId is required for staff"));
        return sessions.withSession(s -> s.createNativeQuery("select coalesce(p.plan, 'BASIC'), f.monthly_order_limit,"
                        + " (select count(distinct order_id) from invoice_line where retailer_id = :r"
                        + " and created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'),"
                        + " (select count(distinct order_id) from invoice_line where retailer_id = :r and over_limit"
                        + " and created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC')"
                        + " from fee_rule f left join retailer_plan p on p.retailer_id = :r"
                        + " where f.plan = coalesce(p.plan, 'BASIC')", Object[].class)
                .setParameter("r", retailer).getSingleResult())
                .map(r -> new Usage(retailer, (String) r[0], (Integer) r[1], ((Number) r[2]).longValue(),
                        ((Number) r[3]).longValue()));
    }
}
