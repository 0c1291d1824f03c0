package io.dropship.order.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MapsId;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.UUID;

@Entity
@Table(name = "supplier_order_line")
public class SupplierOrderLine {

    @Embeddable
    public record Key(
            @Column(name = "supplier_order_id") UUID supplierOrderId,
            @Column(name = "line_id") String lineId) implements Serializable {}

    @EmbeddedId
    public Key key;

    @MapsId("supplierOrderId")
    @ManyToOne
    @JoinColumn(name = "supplier_order_id")
    public SupplierOrder supplierOrder;

    @Column(name = "listing_id")
    public String listingId;

    public String sku;
    public int quantity;

    @Column(name = "wholesale_price")
    public BigDecimal wholesalePrice;

    @Column(name = "shipping_cost")
    public BigDecimal shippingCost;

    @Column(name = "retail_price")
    public BigDecimal retailPrice;
}
