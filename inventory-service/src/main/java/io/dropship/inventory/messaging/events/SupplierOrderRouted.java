package io.dropship.inventory.messaging.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/** SupplierOrderRouted as inventory-service reads it: what to reserve; the rest travels on untouched. */
public record SupplierOrderRouted(
        UUID supplierOrderId,
        UUID orderId,
        String supplierId,
        List<Line> lines,
        Integer attempt,
        Integer routedTogether) {

    public record Line(String lineId, String sku, int quantity) {}

    /** The whole event as received, so that StockReserved can carry the supplier order on. */
    public record Raw(JsonNode payload, SupplierOrderRouted order) {}
}
