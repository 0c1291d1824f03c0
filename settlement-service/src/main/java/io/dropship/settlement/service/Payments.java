package io.dropship.settlement.service;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Retailers' payments ({@code payment}): what is charged for their orders, and when a held one is tried again. */
@ApplicationScoped
public class Payments {

    public record Payment(
            UUID paymentId,
            UUID orderId,
            String orderNumber,
            String retailerId,
            String currency,
            BigDecimal amount,
            BigDecimal refunded,
            String status,
            String lastError,
            String declineCode,
            int attempts,
            Instant nextAttemptAt,
            String paymentIntentId,
            String chargeId,
            Instant succeededAt,
            Instant createdAt) {}

    private static final String COLUMNS = "id, order_id, order_number, retailer_id, currency, amount, refunded, status,"
            + " last_error, decline_code, attempts, next_attempt_at, payment_intent_id, charge_id, succeeded_at, created_at";

    private final Mutiny.SessionFactory sessions;

    public Payments(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Payments newest first after {@code after}; a null retailer or status is no filter. */
    public Uni<List<Payment>> list(String retailerId, String status, UUID after, int limit) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select " + COLUMNS + " from payment"
                                        + " where (cast(:retailerId as text) is null or retailer_id = :retailerId) and (cast(:st as text) is null or status = :st)"
                                        + " and (cast(:after as uuid) is null or (created_at, id) < (select created_at, id from payment"
                                        + " where id = cast(:after as uuid)))"
                                        + " order by created_at desc, id desc limit " + limit,
                                Object[].class)
                        .setParameter("retailerId", retailerId)
                        .setParameter("st", status)
                        .setParameter("after", after)
                        .getResultList())
                .map(rows -> rows.stream().map(Payments::payment).toList());
    }

    /** Tries a payment on hold again now; 404 if it is not the retailer's ({@code retailerScope}, null for staff), 409 unless ON_HOLD. */
    public Uni<Payment> retryNow(UUID paymentId, String retailerScope) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "select " + COLUMNS + " from payment where id = :p for update", Object[].class)
                .setParameter("p", paymentId)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty() || (retailerScope != null && !retailerScope.equals(rows.get(0)[3]))) {
                        throw ProblemException.notFound("payment " + paymentId);
                    }
                    if (!"ON_HOLD".equals(rows.get(0)[7])) {
                        throw ProblemException.conflict(
                                "payment " + paymentId + " is " + rows.get(0)[7] + ", not ON_HOLD");
                    }
                    return s.createNativeQuery(
                                    "update payment set next_attempt_at = now(), updated_at = now() where id = :p")
                            .setParameter("p", paymentId)
                            .executeUpdate()
                            .replaceWith(payment(rows.get(0)));
                }));
    }

    private static Payment payment(Object[] r) {
        return new Payment(
                (UUID) r[0],
                (UUID) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (BigDecimal) r[5],
                (BigDecimal) r[6],
                (String) r[7],
                (String) r[8],
                (String) r[9],
                (Integer) r[10],
                instant(r[11]),
                (String) r[12],
                (String) r[13],
                instant(r[14]),
                instant(r[15]));
    }
}
