package io.dropship.inventory.messaging.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What inventory-service answers to a SupplierOrderRouted (contracts: StockReserved, ReservationRefused). */
public final class ReservationEvents {

    public static final String RESERVED_TOPIC = "StockReserved";
    public static final String REFUSED_TOPIC = "ReservationRefused";

    private ReservationEvents() {}

    public record ReservationRefused(
            UUID supplierOrderId,
            UUID orderId,
            String supplierId,
            List<ShortLine> shortLines,
            Integer attempt,
            Integer routedTogether,
            Instant refusedAt) {}

    public record ShortLine(String lineId, String sku, int requested, int available) {}
}
