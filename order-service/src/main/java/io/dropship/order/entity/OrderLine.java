package io.dropship.order.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;

@Entity
@Table(name = "order_line")
public class OrderLine {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne
    @JoinColumn(name = "order_id")
    public CustomerOrder order;

    @Column(name = "line_id")
    public String lineId;

    @Column(name = "listing_id")
    public String listingId;

    public String sku;
    public String title;
    public int quantity;

    @Column(name = "retail_price")
    public BigDecimal retailPrice;
}
