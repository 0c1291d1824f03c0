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

/** Where a retailer stands against its plan's limits: orders this month, suppliers, and its subscription. */
@Path("/api/billing/usage")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    /**
     * plan: the plan orders are invoiced at now; subscriptionStatus: Stripe's (null without a subscription);
     * monthlyOrderLimit / supplierLimit null: unlimited; overLimit: orders this month past the limit; heldForLimit: of
     * those, the ones waiting (a HOLD plan); suppliers: the suppliers behind the retailer's active listings;
     * upgradeHint: what to move to when a limit is reached or near, else null.
     */
    public record Usage(String retailerId, String plan, String subscriptionStatus, boolean suspended, Integer monthlyOrderLimit,
                        long ordersThisMonth, long overLimit, long heldForLimit, String overLimitPolicy, Integer supplierLimit,
                        long suppliers, String upgradeHint) {
    }

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    public UsageResource(Mutiny.SessionFactory sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The retailer's plan and how far it is used: orders invoiced this month (UTC) against its limit,"
            + " suppliers listed against its limit, orders held by the limit, the subscription's standing",
            description = "overLimit: orders this month past the limit (invoiced at the BASIC fee on an OVERAGE plan, held"
                    + " on a HOLD plan). Staff pass retailerId.")
    public Uni<Usage> usage(@QueryParam("retailerId") String retailerId) {
        String retailer = caller.retailerScope(retailerId)
                .orElseThrow(() -> ProblemException.badRequest("retailerId is required for staff"));
        return sessions.withSession(s -> s.createNativeQuery("select f.plan, f.monthly_order_limit,"
                        + " (select count(distinct order_id) from invoice_line where retailer_id = :retailerId"
                        + " and created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'),"
                        + " (select count(distinct order_id) from invoice_line where retailer_id = :retailerId and over_limit"
                        + " and created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'),"
                        + " (select count(*) from payment where retailer_id = :retailerId and status = 'ON_HOLD' and hold_reason = 'PLAN_LIMIT'),"
                        + " f.over_limit, f.supplier_limit,"
                        + " (select count(distinct u) from retailer_listing l, unnest(l.supplier_ids) u where l.retailer_id = :retailerId and l.active),"
                        + " x.status, coalesce(x.grace_until < now(), false),"
                        + " (select u.plan from fee_rule u where u.monthly_price > coalesce(f.monthly_price, 0)"
                        + " order by u.monthly_price limit 1)"
                        + " from fee_rule f left join retailer_plan p on p.retailer_id = :retailerId"
                        + " left join subscription x on x.retailer_id = :retailerId"
                        + " where f.plan = coalesce(p.plan, 'BASIC')", Object[].class)
                .setParameter("retailerId", retailer).getSingleResult())
                .map(r -> {
                    Integer orderLimit = (Integer) r[1];
                    long orders = ((Number) r[2]).longValue();
                    Integer supplierLimit = (Integer) r[6];
                    long suppliers = ((Number) r[7]).longValue();
                    String next = (String) r[10];
                    boolean near = (orderLimit != null && orders * 10 >= orderLimit * 8L)
                            || (supplierLimit != null && suppliers >= supplierLimit);
                    String hint = next == null || !near ? null : "move up to " + next + " (PUT /api/billing/subscription)"
                            + " for more orders a month" + (supplierLimit == null ? "" : " and more suppliers");
                    return new Usage(retailer, (String) r[0], r[8] == null ? null : ((String) r[8]).toUpperCase(java.util.Locale.ROOT),
                            Boolean.TRUE.equals(r[9]), orderLimit, orders, ((Number) r[3]).longValue(), ((Number) r[4]).longValue(),
                            (String) r[5], supplierLimit, suppliers, hint);
                });
    }
}
