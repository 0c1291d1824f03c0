package io.dropship.order.entity;

import io.dropship.order.domain.Address;
import io.dropship.order.domain.OrderStatus;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "customer_order")
public class CustomerOrder {

    @Id
    public UUID id;
    /**
     * Optimistic version: every change is an update on the version read, so of two consumers changing the same row
     * at once (a cancellation and a reservation outcome, say) the second fails and its event is retried on the new state.
     */
    @jakarta.persistence.Version
    public long version;

    @Column(name = "order_number")
    public String orderNumber;

    @Column(name = "retailer_id")
    public String retailerId;

    @Column(name = "store_id")
    public String storeId;

    @Column(name = "store_platform")
    public String storePlatform;

    @Column(name = "store_order_id")
    public String storeOrderId;

    public String currency;

    @Column(name = "customer_email")
    public String customerEmail;

    @Enumerated(EnumType.STRING)
    public OrderStatus status;

    @Column(name = "hold_reason")
    public String holdReason;
    /** When the order went on hold; null unless it is ON_HOLD. */
    @Column(name = "held_at")
    public Instant heldAt;

    @Column(name = "cancellation_reason")
    public String cancellationReason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "shipping_address")
    public Address shippingAddress;

    public BigDecimal subtotal;
    public BigDecimal shipping;
    public BigDecimal tax;
    public BigDecimal discount;
    public BigDecimal total;

    @Column(name = "placed_at")
    public Instant placedAt;

    /** When the platform took the store's webhook: the start of the webhook-to-reserved latency. */
    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
    /** When the customer's personal data was erased (a privacy request); null while it is kept. */
    @Column(name = "redacted_at")
    public Instant redactedAt;

    @OneToMany(mappedBy = "order", cascade = CascadeType.ALL)
    @OrderBy("id")
    public List<OrderLine> lines = new ArrayList<>();
}
