package io.dropship.order.entity;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "supplier_order")
public class SupplierOrder {

    /**
     * ROUTED: sent to inventory; RESERVED: stock held; REFUSED: stock short, REJECTED: the supplier declined it,
     * in both cases its lines re-routed; CANCELLED: its order was cancelled before it shipped.
     */
    public enum Status {
        ROUTED,
        RESERVED,
        REFUSED,
        REJECTED,
        SHIPPED,
        DELIVERED,
        CANCELLED
    }

    @Id
    public UUID id;
    /**
     * Optimistic version: every change is an update on the version read, so of two consumers changing the same row
     * at once (a cancellation and a reservation outcome, say) the second fails and its event is retried on the new state.
     */
    @jakarta.persistence.Version
    public long version;

    @Column(name = "order_id")
    public UUID orderId;

    @Column(name = "supplier_id")
    public String supplierId;

    public int attempt;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;

    @Column(name = "wholesale_total")
    public BigDecimal wholesaleTotal;

    @Column(name = "shipping_cost")
    public BigDecimal shippingCost;

    public String carrier;

    @Column(name = "tracking_number")
    public String trackingNumber;

    @Column(name = "tracking_url")
    public String trackingUrl;

    @Column(name = "shipped_at")
    public Instant shippedAt;

    @Column(name = "created_at")
    public Instant createdAt;
    /** The supplier order this one reships at no charge (a case's outcome); null for an order's own. */
    @Column(name = "reship_of")
    public java.util.UUID reshipOf;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @OneToMany(mappedBy = "supplierOrder", cascade = CascadeType.ALL)
    @OrderBy("key.lineId")
    public List<SupplierOrderLine> lines = new ArrayList<>();
}
