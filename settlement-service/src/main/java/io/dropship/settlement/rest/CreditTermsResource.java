package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.domain.CreditTerms;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Credit terms: by default a retailer's supplier orders go to their suppliers only once the retailer's payment for
 * them went through. Platform staff (ADMIN, a money decision) may let a trusted retailer's orders go first, up to a
 * limit of unpaid dispatched payments in one currency.
 */
@Path("/api/retailers/{retailerId}/credit-terms")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class CreditTermsResource {

    public record TermsChange(@NotNull @Pattern(regexp = "[A-Z]{3}", message = "is an ISO 4217 code such as USD") String currency,
                              @NotNull @DecimalMin("0.00") @DecimalMax("1000000000") @Digits(integer = 12, fraction = 2)
                              BigDecimal limit) {
    }

    /** outstanding: payments dispatched on credit and not taken yet, in the terms' currency. */
    public record Terms(String retailerId, String currency, BigDecimal limit, BigDecimal outstanding, String updatedBy,
                        Instant updatedAt) {
    }

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    public CreditTermsResource(Mutiny.SessionFactory sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Let the retailer's supplier orders go to suppliers before the payment is taken, up to a limit")
    public Uni<Terms> put(@PathParam("retailerId") String retailerId, @Valid @NotNull TermsChange change) {
        new CreditTerms(change.currency(), change.limit());
        return sessions.withTransaction(s -> s.createNativeQuery("insert into retailer_credit (retailer_id, currency,"
                        + " credit_limit, updated_by, updated_at) values (:retailerId, :cur, :limit, :by, now())"
                        + " on conflict (retailer_id) do update set currency = excluded.currency,"
                        + " credit_limit = excluded.credit_limit, updated_by = excluded.updated_by, updated_at = now()")
                .setParameter("retailerId", retailerId).setParameter("cur", change.currency()).setParameter("limit", change.limit())
                .setParameter("by", caller.name()).executeUpdate())
                .chain(() -> read(retailerId));
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "End the retailer's credit terms: its supplier orders wait for their payment again")
    public Uni<Void> delete(@PathParam("retailerId") String retailerId) {
        return sessions.withTransaction(s -> s.createNativeQuery("delete from retailer_credit where retailer_id = :retailerId")
                .setParameter("retailerId", retailerId).executeUpdate()).replaceWithVoid();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.RETAILER})
    @Operation(summary = "The retailer's credit terms and what is outstanding on them (a retailer its own; 404 without terms)")
    public Uni<Terms> get(@PathParam("retailerId") String retailerId) {
        if (!caller.isStaff() && !retailerId.equals(caller.retailerId())) {
            return Uni.createFrom().failure(ProblemException.notFound("credit terms of retailer " + retailerId));
        }
        return read(retailerId);
    }

    private Uni<Terms> read(String retailerId) {
        return sessions.withSession(s -> s.createNativeQuery("select c.currency, c.credit_limit, c.updated_by, c.updated_at,"
                        + " (select coalesce(sum(p.amount), 0) from payment p where p.retailer_id = c.retailer_id"
                        + " and p.currency = c.currency and p.cleared_basis = 'CREDIT' and p.status in ('DUE', 'ON_HOLD'))"
                        + " from retailer_credit c where c.retailer_id = :retailerId", Object[].class)
                .setParameter("retailerId", retailerId).getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("credit terms of retailer " + retailerId
                                + " (none: its supplier orders wait for their payment)");
                    }
                    Object[] r = rows.get(0);
                    return new Terms(retailerId, ((String) r[0]).strip(), (BigDecimal) r[1], (BigDecimal) r[4], (String) r[2],
                            PaymentResource.instant(r[3]));
                });
    }
}
