package io.dropship.fulfillment.entity;

import io.dropship.fulfillment.domain.SupplierOrderStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "supplier_order")
public class SupplierOrder {

    @Id
    public UUID id;
    @Column(name = "order_id")
    public UUID orderId;
    @Column(name = "order_number")
    public String orderNumber;
    @Column(name = "supplier_id")
    public String supplierId;
    @Enumerated(EnumType.STRING)
    public SupplierOrderStatus status;
    /** Why it ended without shipping: the supplier's rejection reason, or the cancellation. */
    public String reason;
    @jakarta.persistence.Column(name = "delivered_at")
    public java.time.Instant deliveredAt;
    public String currency;
    /** JSON text; kept as text here because the reactive client hands jsonb arrays over in a form Hibernate cannot map. */
    @ColumnTransformer(read = "cast(lines as text)", write = "cast(cast(? as text) as jsonb)")
    public String lines;
    @ColumnTransformer(read = "cast(shipping_address as text)", write = "cast(cast(? as text) as jsonb)")
    @Column(name = "shipping_address")
    public String shippingAddress;
    @Column(name = "retailer_id")
    public String retailerId;
    @Column(name = "store_order_id")
    public String storeOrderId;
    @Column(name = "received_at")
    public Instant receivedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** When the supplier was given it; null while it waits for its payment. */
    @Column(name = "released_at")
    public Instant releasedAt;
}
