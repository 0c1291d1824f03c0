package io.dropship.fulfillment.messaging;

import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The retailers' branding as settlement-service announces it (RetailerBrandingChanged), kept for the packing slips
 * printed in their name. A change older than the one kept changes nothing (the topic is compacted and may be read
 * again from its start).
 */
@ApplicationScoped
public class RetailerBrandingChangedConsumer {

    public record RetailerBrandingChanged(
            String retailerId,
            String businessName,
            List<String> addressLines,
            String accentColor,
            String footer,
            Instant changedAt) {}

    private final Inbox inbox;

    public RetailerBrandingChangedConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("retailer-branding", record, RetailerBrandingChanged.class, (s, e, b) -> {
            if (b.retailerId() == null
                    || b.businessName() == null
                    || b.changedAt() == null
                    || b.accentColor() == null
                    || !b.accentColor().matches("#[0-9A-Fa-f]{6}")) {
                throw new PoisonMessageException("RetailerBrandingChanged lacks its retailer, name, colour or time");
            }
            return s.createNativeQuery(
                            "insert into retailer_branding as b (retailer_id, business_name, address_lines, accent_color,"
                                    + " footer, changed_at) values (:retailerId, left(:n, 120), :a, :c, left(:f, 300), :at)"
                                    + " on conflict (retailer_id) do update set business_name = excluded.business_name,"
                                    + " address_lines = excluded.address_lines, accent_color = excluded.accent_color,"
                                    + " footer = excluded.footer, changed_at = excluded.changed_at where b.changed_at <= excluded.changed_at")
                    .setParameter("retailerId", b.retailerId())
                    .setParameter("n", b.businessName())
                    .setParameter("a", String.join("\n", b.addressLines() == null ? List.of() : b.addressLines()))
                    .setParameter("c", b.accentColor().toUpperCase(java.util.Locale.ROOT))
                    .setParameter("f", b.footer())
                    .setParameter("at", b.changedAt().atOffset(ZoneOffset.UTC))
                    .executeUpdate();
        });
    }
}
