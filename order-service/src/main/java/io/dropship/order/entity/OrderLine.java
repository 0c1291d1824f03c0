package io.dropship.order.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.math.BigDecimal;

@Entity
@Table(name = "order_line")
public class OrderLine {

    /**
     * From the column's sequence, 50 ids a draw (V25). With the identity strategy each insert returned its id, and
     * Hibernate Reactive's generated-values path left the statement registered with the session, whose close then
     * asked it for a query timeout the reactive adaptor cannot give: an exception for every order
     * (docs/benchmarks.md, "Exceptions per order, counted").
     */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "order_line_id")
    @SequenceGenerator(name = "order_line_id", sequenceName = "order_line_id_seq", allocationSize = 50)
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
