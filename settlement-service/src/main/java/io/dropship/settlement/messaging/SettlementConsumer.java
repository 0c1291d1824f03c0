package io.dropship.settlement.messaging;

import io.dropship.platform.outbox.Inbox;
import io.dropship.settlement.messaging.events.SettlementEvents;
import io.dropship.settlement.service.Ledger;
import io.dropship.settlement.stripe.StripeCalls;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class SettlementConsumer {

    private final Inbox inbox;
    private final Ledger ledger;
    private final StripeCalls money;

    public SettlementConsumer(Inbox inbox, Ledger ledger, StripeCalls money) {
        this.inbox = inbox;
        this.ledger = ledger;
        this.money = money;
    }

    /**
     * StockReserved: the supplier order's amounts; the order's last reservation invoices it and makes its payment,
     * which the same transaction claims for its charge, made as soon as it commits (no round of the Stripe calls job to
     * wait for).
     */
    public Uni<Void> reserved(ConsumerRecord<String, String> record) {
        List<StripeCalls.Claimed> claimed = new ArrayList<>();
        return inbox.apply("stock-reserved", record, SettlementEvents.StockReserved.class, (s, e, p) -> {
                    // A transaction tried again after a transient failure claims afresh.
                    claimed.clear();
                    return ledger.amounts(s, p)
                            .chain(() -> money.claimFor(s, p.orderId()))
                            .invoke(claimed::addAll)
                            .replaceWithVoid();
                })
                .invoke(() -> money.chargeClaimed(claimed));
    }

    public Uni<Void> refused(ConsumerRecord<String, String> record) {
        return inbox.apply(
                        "reservation-refused",
                        record,
                        SettlementEvents.ReservationRefused.class,
                        (s, e, p) -> ledger.refused(s, p))
                .invoke(money::wake);
    }

    public Uni<Void> cancelled(ConsumerRecord<String, String> record) {
        return inbox.apply(
                        "supplier-order-cancelled",
                        record,
                        SettlementEvents.SupplierOrderEnded.class,
                        (s, e, p) -> ledger.ended(s, p))
                .invoke(money::wake);
    }

    public Uni<Void> rejected(ConsumerRecord<String, String> record) {
        return inbox.apply(
                        "supplier-order-rejected",
                        record,
                        SettlementEvents.SupplierOrderEnded.class,
                        (s, e, p) -> ledger.ended(s, p))
                .invoke(money::wake);
    }

    public Uni<Void> caseUpdated(ConsumerRecord<String, String> record) {
        return inbox.apply(
                        "case-updated",
                        record,
                        SettlementEvents.CaseUpdated.class,
                        (s, e, p) -> ledger.caseResolved(s, p))
                .invoke(money::wake);
    }

    public Uni<Void> shipped(ConsumerRecord<String, String> record) {
        return inbox.apply("shipped", record, SettlementEvents.Shipped.class, (s, e, p) -> ledger.shipped(s, p))
                .invoke(money::wake);
    }

    /** ListingChanged: the suppliers behind each of a retailer's listings, which its plan's supplier limit counts. */
    @Incoming("listing-changed")
    public Uni<Void> listingChanged(ConsumerRecord<String, String> record) {
        return inbox.apply(
                "listing-changed",
                record,
                SettlementEvents.ListingChanged.class,
                (s, e, l) -> s.createNativeQuery(
                                "insert into retailer_listing as x (listing_id, retailer_id, supplier_ids, active,"
                                        + " changed_at) values (:id, :retailerId, cast(:suppliers as text[]), :active, :at)"
                                        + " on conflict (listing_id) do update set retailer_id = excluded.retailer_id,"
                                        + " supplier_ids = excluded.supplier_ids, active = excluded.active, changed_at = excluded.changed_at"
                                        + " where x.changed_at <= excluded.changed_at")
                        .setParameter("id", l.listingId())
                        .setParameter("retailerId", l.retailerId())
                        .setParameter(
                                "suppliers",
                                l.offers() == null
                                        ? new String[0]
                                        : l.offers().stream()
                                                .map(SettlementEvents.ListingChanged.Offer::supplierId)
                                                .filter(java.util.Objects::nonNull)
                                                .distinct()
                                                .toArray(String[]::new))
                        .setParameter("active", !"ARCHIVED".equals(l.status()))
                        .setParameter("at", l.changedAt())
                        .executeUpdate()
                        .replaceWithVoid());
    }

    /** SupplierFeatured: while a supplier is featured, its orders carry the featured listing fee (the newest change kept). */
    public Uni<Void> supplierFeatured(ConsumerRecord<String, String> record) {
        return inbox.apply("supplier-featured", record, SettlementEvents.SupplierFeatured.class, (s, e, f) -> {
            if (f.supplierId() == null || f.changedAt() == null) {
                throw new io.dropship.platform.outbox.PoisonMessageException(
                        "SupplierFeatured lacks its supplier or time");
            }
            return s.createNativeQuery("insert into supplier_feature as x (supplier_id, featured_until, changed_at)"
                            + " values (:supplierId, :until, :at) on conflict (supplier_id) do update set"
                            + " featured_until = excluded.featured_until, changed_at = excluded.changed_at"
                            + " where x.changed_at <= excluded.changed_at")
                    .setParameter("supplierId", f.supplierId())
                    .setParameter(
                            "until",
                            f.featuredUntil() == null ? null : f.featuredUntil().atOffset(java.time.ZoneOffset.UTC))
                    .setParameter("at", f.changedAt().atOffset(java.time.ZoneOffset.UTC))
                    .executeUpdate()
                    .replaceWithVoid();
        });
    }
}
