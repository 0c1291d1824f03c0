package io.dropship.settlement.service;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import org.hibernate.reactive.mutiny.Mutiny;

/** Retailers' credit terms ({@code retailer_credit}): how much of their payments may be outstanding when orders go out. */
@ApplicationScoped
public class RetailerCredits {

    /** outstanding: payments dispatched on credit and not taken yet, in the terms' currency. */
    public record Terms(
            String retailerId,
            String currency,
            BigDecimal limit,
            BigDecimal outstanding,
            String updatedBy,
            Instant updatedAt) {}

    private final Mutiny.SessionFactory sessions;

    public RetailerCredits(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<Terms> grant(String retailerId, String currency, BigDecimal limit, String by) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "insert into retailer_credit (retailer_id, currency,"
                                        + " credit_limit, updated_by, updated_at) values (:retailerId, :cur, :limit, :by, now())"
                                        + " on conflict (retailer_id) do update set currency = excluded.currency,"
                                        + " credit_limit = excluded.credit_limit, updated_by = excluded.updated_by, updated_at = now()")
                        .setParameter("retailerId", retailerId)
                        .setParameter("cur", currency)
                        .setParameter("limit", limit)
                        .setParameter("by", by)
                        .executeUpdate())
                .chain(() -> terms(retailerId));
    }

    public Uni<Void> end(String retailerId) {
        return sessions.withTransaction(
                        s -> s.createNativeQuery("delete from retailer_credit where retailer_id = :retailerId")
                                .setParameter("retailerId", retailerId)
                                .executeUpdate())
                .replaceWithVoid();
    }

    /** The retailer's terms; 404 without. */
    public Uni<Terms> terms(String retailerId) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select c.currency, c.credit_limit, c.updated_by, c.updated_at,"
                                        + " (select coalesce(sum(p.amount), 0) from payment p where p.retailer_id = c.retailer_id"
                                        + " and p.currency = c.currency and p.cleared_basis = 'CREDIT' and p.status in ('DUE', 'ON_HOLD'))"
                                        + " from retailer_credit c where c.retailer_id = :retailerId",
                                Object[].class)
                        .setParameter("retailerId", retailerId)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("credit terms of retailer " + retailerId
                                + " (none: its supplier orders wait for their payment)");
                    }
                    Object[] r = rows.get(0);
                    return new Terms(
                            retailerId,
                            ((String) r[0]).strip(),
                            (BigDecimal) r[1],
                            (BigDecimal) r[4],
                            (String) r[2],
                            instant(r[3]));
                });
    }
}
