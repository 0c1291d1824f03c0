package io.dropship.order.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.hibernate.reactive.mutiny.Mutiny;

/** Retailers' choices for their held orders ({@code retailer_order_settings}), which {@link HeldOrderExpiry} follows. */
@ApplicationScoped
public class OrderSettings {

    /** customerMessage: the retailer's own, or the platform's default when it has none. */
    public record Settings(
            String retailerId,
            Integer cancelHeldAfterDays,
            String customerMessage,
            String updatedBy,
            Instant updatedAt) {}

    private final Mutiny.SessionFactory sessions;

    public OrderSettings(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Sets them; {@code cancelHeldAfterDays} null: never; {@code message} null: the platform's default. */
    public Uni<Settings> save(String retailerId, Integer cancelHeldAfterDays, String message, String by) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "insert into retailer_order_settings (retailer_id,"
                                        + " cancel_held_after_days, customer_message, updated_by, updated_at) values (:retailerId, :days, :msg, :by, now())"
                                        + " on conflict (retailer_id) do update set cancel_held_after_days = excluded.cancel_held_after_days,"
                                        + " customer_message = excluded.customer_message, updated_by = excluded.updated_by, updated_at = now()")
                        .setParameter("retailerId", retailerId)
                        .setParameter("days", cancelHeldAfterDays)
                        .setParameter("msg", message)
                        .setParameter("by", by)
                        .executeUpdate())
                .chain(() -> of(retailerId));
    }

    /** The retailer's settings, or the defaults before it sets any. */
    public Uni<Settings> of(String retailerId) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select cancel_held_after_days, customer_message, updated_by,"
                                        + " updated_at from retailer_order_settings where retailer_id = :retailerId",
                                Object[].class)
                        .setParameter("retailerId", retailerId)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return new Settings(retailerId, null, HeldOrderExpiry.DEFAULT_MESSAGE, null, null);
                    }
                    Object[] r = rows.get(0);
                    return new Settings(
                            retailerId,
                            r[0] == null ? null : ((Number) r[0]).intValue(),
                            r[1] == null ? HeldOrderExpiry.DEFAULT_MESSAGE : (String) r[1],
                            (String) r[2],
                            r[3] instanceof java.time.OffsetDateTime t ? t.toInstant() : (Instant) r[3]);
                });
    }
}
