package io.dropship.settlement.messaging;

import io.dropship.platform.outbox.Inbox;
import io.dropship.settlement.service.Ledger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class SettlementConsumer {

    private final Inbox inbox;
    private final Ledger ledger;

    public SettlementConsumer(Inbox inbox, Ledger ledger) {
        this.inbox = inbox;
        this.ledger = ledger;
    }

    @Incoming("stock-reserved")
    public Uni<Void> reserved(ConsumerRecord<String, String> record) {
        return inbox.apply("settlement-service.stock-reserved", record, SettlementEvents.StockReserved.class,
                (s, e, p) -> ledger.amounts(s, p));
    }

    @Incoming("reservation-refused")
    public Uni<Void> refused(ConsumerRecord<String, String> record) {
        return inbox.apply("settlement-service.reservation-refused", record, SettlementEvents.ReservationRefused.class,
                (s, e, p) -> ledger.refused(s, p));
    }

    @Incoming("supplier-order-cancelled")
    public Uni<Void> cancelled(ConsumerRecord<String, String> record) {
        return inbox.apply("settlement-service.supplier-order-cancelled", record, SettlementEvents.SupplierOrderEnded.class,
                (s, e, p) -> ledger.ended(s, p));
    }

    @Incoming("supplier-order-rejected")
    public Uni<Void> rejected(ConsumerRecord<String, String> record) {
        return inbox.apply("settlement-service.supplier-order-rejected", record, SettlementEvents.SupplierOrderEnded.class,
                (s, e, p) -> ledger.ended(s, p));
    }

    @Incoming("case-updated")
    public Uni<Void> caseUpdated(ConsumerRecord<String, String> record) {
        return inbox.apply("settlement-service.case-updated", record, SettlementEvents.CaseUpdated.class,
                (s, e, p) -> ledger.caseResolved(s, p));
    }

    @Incoming("shipped")
    public Uni<Void> shipped(ConsumerRecord<String, String> record) {
        return inbox.apply("settlement-service.shipped", record, SettlementEvents.Shipped.class,
                (s, e, p) -> ledger.shipped(s, p));
    }
}
