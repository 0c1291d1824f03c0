package io.dropship.settlement.rest;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Cursors;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.domain.CurrencyUnits;
import io.dropship.settlement.service.GiveBacks;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Returns of shipped supplier orders. The supplier's return policy says what it gives back: nothing past its window,
 * the wholesale less its restocking fee, and the shipping if it says so. That much is reversed from its transfer and
 * refunded to the retailer from the order's charge; the platform keeps its fee. StripeCalls makes the two Stripe calls.
 */
@Path("/api")
@Tag(name = "Returns")
@Produces(MediaType.APPLICATION_JSON)
public class ReturnResource {

    /** returnShippingPaidBy: who pays for the parcel back, RETAILER (the default) or SUPPLIER (its instructions say how). */
    public record Policy(boolean acceptsReturns, @Min(0) @Max(365) int windowDays, boolean refundShipping,
                         @NotNull @DecimalMin("0") @DecimalMax("100") BigDecimal restockingFeePercent,
                         @jakarta.validation.constraints.Pattern(regexp = "RETAILER|SUPPLIER", message = "is RETAILER or SUPPLIER")
                         String returnShippingPaidBy) {
    }

    public record ReturnRequest(@NotNull UUID supplierOrderId, @NotBlank @Size(max = 300) String reason) {
    }

    public record Return(UUID returnId, UUID supplierOrderId, UUID orderId, String retailerId, String supplierId, String reason,
                         String currency, BigDecimal restockingFee, BigDecimal amount, String status, String reversalId,
                         String refundId, String lastError, Instant createdAt) {
    }

    static final Policy DEFAULT_POLICY = new Policy(true, 30, false, BigDecimal.ZERO, "RETAILER");

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    private final io.dropship.platform.outbox.Outbox outbox;

    public ReturnResource(Mutiny.SessionFactory sessions, Caller caller, io.dropship.platform.outbox.Outbox outbox) {
        this.outbox = outbox;
        this.sessions = sessions;
        this.caller = caller;
    }

    @PUT
    @Path("supplier/return-policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(summary = "The supplier's return policy: window in days after shipping, shipping refunded or not, restocking fee %")
    public Uni<Policy> savePolicy(@Valid @NotNull Policy p) {
        return sessions.withTransaction(s -> s.createNativeQuery("insert into supplier_return_policy (supplier_id, accepts_returns,"
                        + " window_days, refund_shipping, restocking_fee_percent, return_shipping_paid_by, updated_at)"
                        + " values (:supplierId, :a, :w, :r, :f, :ship, now())"
                        + " on conflict (supplier_id) do update set accepts_returns = excluded.accepts_returns,"
                        + " window_days = excluded.window_days, refund_shipping = excluded.refund_shipping,"
                        + " restocking_fee_percent = excluded.restocking_fee_percent,"
                        + " return_shipping_paid_by = excluded.return_shipping_paid_by, updated_at = now()")
                .setParameter("supplierId", caller.supplierId()).setParameter("a", p.acceptsReturns()).setParameter("w", p.windowDays())
                .setParameter("r", p.refundShipping()).setParameter("f", p.restockingFeePercent())
                .setParameter("ship", p.returnShippingPaidBy() == null ? "RETAILER" : p.returnShippingPaidBy()).executeUpdate()
                // Announced for the supplier directory (catalog-service shows its summary).
                .chain(() -> outbox.publish(s, io.dropship.settlement.messaging.events.SettlementEvents.ReturnPolicyChanged.TOPIC,
                        caller.supplierId(), new io.dropship.settlement.messaging.events.SettlementEvents.ReturnPolicyChanged(
                                caller.supplierId(), p.acceptsReturns(), p.windowDays(), p.refundShipping(),
                                p.restockingFeePercent(), p.returnShippingPaidBy() == null ? "RETAILER" : p.returnShippingPaidBy(),
                                java.time.Instant.now()))))
                .chain(() -> sessions.withSession(s -> policy(s, caller.supplierId())));
    }

    @GET
    @Path("supplier/return-policy")
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(summary = "The supplier's return policy (30 days, wholesale only, no fee until it sets one)")
    public Uni<Policy> policy() {
        return sessions.withSession(s -> policy(s, caller.supplierId()));
    }

    public static Uni<Policy> policy(Mutiny.Session s, String supplier) {
        return s.createNativeQuery("select accepts_returns, window_days, refund_shipping, restocking_fee_percent,"
                        + " return_shipping_paid_by from supplier_return_policy where supplier_id = :supplierId", Object[].class)
                .setParameter("supplierId", supplier)
                .getResultList().map(rows -> rows.isEmpty() ? DEFAULT_POLICY : new Policy((Boolean) rows.get(0)[0],
                        (Integer) rows.get(0)[1], (Boolean) rows.get(0)[2], (BigDecimal) rows.get(0)[3], (String) rows.get(0)[4]));
    }

    @POST
    @Path("returns")
    @Consumes(MediaType.APPLICATION_JSON)
    // Moves money (a reversal and a refund): the retailer for its own, or an admin. Support reads.
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(summary = "Return a shipped supplier order: its supplier gives back what its policy says, the retailer is refunded that",
            description = "409 if the supplier order has not been paid out yet, was returned already, or the supplier's"
                    + " policy does not take it back (no returns, or past its window).")
    public Uni<Return> requestReturn(@Valid @NotNull ReturnRequest r) {
        Optional<String> scope = caller.retailerScope(null);
        String by = caller.isStaff() ? "staff" : "retailer " + caller.retailerId();
        return sessions.withTransaction(s -> s.createNativeQuery("select order_id, retailer_id, supplier_id, currency,"
                                + " wholesale_total, shipping_cost, status, shipped_at from supplier_order_account"
                                + " where supplier_order_id = :supplierOrderId for update", Object[].class)
                .setParameter("supplierOrderId", r.supplierOrderId()).getResultList()
                .chain(rows -> {
                    if (rows.isEmpty() || scope.map(own -> !own.equals(rows.get(0)[1])).orElse(false)) {
                        throw ProblemException.notFound("supplier order " + r.supplierOrderId());
                    }
                    Object[] a = rows.get(0);
                    if (!"SETTLED".equals(a[6])) {
                        throw ProblemException.conflict("supplier order " + r.supplierOrderId() + " is " + a[6]
                                + "; a return needs a shipped supplier order whose supplier has been paid");
                    }
                    String supplier = (String) a[2];
                    return policy(s, supplier).chain(p -> {
                        Instant shipped = PaymentResource.instant(a[7]);
                        if (!p.acceptsReturns()) {
                            throw ProblemException.conflict("supplier " + supplier + " does not take returns");
                        }
                        if (shipped.plus(java.time.Duration.ofDays(p.windowDays())).isBefore(Instant.now())) {
                            throw ProblemException.conflict("supplier " + supplier + " takes returns within " + p.windowDays()
                                    + " days of shipping; this one shipped " + shipped);
                        }
                        BigDecimal wholesale = (BigDecimal) a[4];
                        String currency = (String) a[3];
                        BigDecimal fee = CurrencyUnits.round(currency,
                                wholesale.multiply(p.restockingFeePercent()).divide(BigDecimal.valueOf(100)));
                        BigDecimal amount = wholesale.subtract(fee).add(p.refundShipping() ? (BigDecimal) a[5] : BigDecimal.ZERO);
                        UUID id = UUID.randomUUID();
                        return GiveBacks.record(s, id, new GiveBacks.GiveBack(
                                        r.supplierOrderId(), (UUID) a[0], (String) a[1], supplier, r.reason().strip(), currency, fee,
                                        amount, by, null, null, true))
                                .invoke(recorded -> {
                                    if (!recorded) {
                                        throw ProblemException.conflict("supplier order " + r.supplierOrderId() + " was returned already");
                                    }
                                })
                                .chain(() -> find(s, r.supplierOrderId()));
                    });
                }));
    }

    @GET
    @Path("returns")
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "Returns, newest first: a retailer's own, a supplier's own, or any for staff")
    public Uni<Page<Return>> list(@QueryParam("supplierOrderId") UUID supplierOrderId,
                                  @QueryParam("limit") @jakarta.ws.rs.DefaultValue("50") @jakarta.validation.constraints.Min(1)
                                  @jakarta.validation.constraints.Max(200) int limit,
                                  @QueryParam("cursor") String cursor) {
        UUID after = Cursors.after(cursor, UUID::fromString);
        boolean supplierCaller = !caller.isStaff() && caller.is(Roles.SUPPLIER);
        String retailer = caller.isStaff() || supplierCaller ? null : caller.retailerId();
        String supplier = supplierCaller ? caller.supplierId() : null;
        return sessions.withSession(s -> s.createNativeQuery("select " + COLUMNS + " from supplier_order_return"
                        + " where case_id is null and return_request_id is null and (cast(:retailerId as text) is null or retailer_id = :retailerId)"
                        + " and (cast(:supplierId as text) is null or supplier_id = :supplierId)"
                        + " and (cast(:supplierOrderId as uuid) is null or supplier_order_id = :supplierOrderId)"
                        + " and (cast(:after as uuid) is null or (created_at, id) < (select created_at, id from supplier_order_return"
                        + " where id = cast(:after as uuid)))"
                        + " order by created_at desc, id desc limit " + (limit + 1), Object[].class)
                .setParameter("retailerId", retailer).setParameter("supplierId", supplier).setParameter("supplierOrderId", supplierOrderId)
                .setParameter("after", after).getResultList())
                .map(rows -> Page.of(rows.stream().map(ReturnResource::toReturn).toList(), limit, r -> new Object[] {r.returnId()}));
    }

    private static final String COLUMNS = "id, supplier_order_id, order_id, retailer_id, supplier_id, reason, currency,"
            + " restocking_fee, amount, status, reversal_id, refund_id, last_error, created_at";

    private static Uni<Return> find(Mutiny.Session s, UUID supplierOrderId) {
        return s.createNativeQuery("select " + COLUMNS + " from supplier_order_return where supplier_order_id = :supplierOrderId"
                        + " and case_id is null and return_request_id is null", Object[].class)
                .setParameter("supplierOrderId", supplierOrderId).getSingleResult().map(ReturnResource::toReturn);
    }

    private static Return toReturn(Object[] r) {
        return new Return((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6],
                (BigDecimal) r[7], (BigDecimal) r[8], (String) r[9], (String) r[10], (String) r[11], (String) r[12],
                PaymentResource.instant(r[13]));
    }
}
