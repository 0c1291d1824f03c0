package io.dropship.fulfillment.entity;

import io.dropship.fulfillment.domain.SupplierOrderStatus;
import io.dropship.fulfillment.domain.TransitionRefused;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A supplier order at its supplier, guarding its own transitions ({@link SupplierOrderStatus} names the states). Each
 * command answers whether it changed anything: asking for the state the order is in already changes nothing (so a
 * repeated call answers the same); asking for a move its state does not allow is refused ({@link TransitionRefused}).
 */
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

    /** The retailer's payment was cleared: an order waiting for it goes to its supplier (RECEIVED) now. */
    public boolean release(Instant now) {
        if (!status.unpaid()) {
            return false;
        }
        status = SupplierOrderStatus.RECEIVED;
        reason = null;
        releasedAt = now;
        updatedAt = now;
        return true;
    }

    /** The retailer's payment failed: an order still waiting for it is held; one with its supplier already stays. */
    public boolean holdForPayment(String why, Instant now) {
        if (!status.unpaid()) {
            return false;
        }
        status = SupplierOrderStatus.PAYMENT_HELD;
        reason = why.length() > 500 ? why.substring(0, 500) : why;
        updatedAt = now;
        return true;
    }

    /** The supplier takes the order on (from RECEIVED). */
    public boolean accept(Instant now) {
        return move(SupplierOrderStatus.ACCEPTED, now, "accepted", SupplierOrderStatus.RECEIVED);
    }

    /** The supplier will not fulfil it (from RECEIVED or ACCEPTED): it is re-routed. */
    public boolean reject(String why, Instant now) {
        boolean moved = move(
                SupplierOrderStatus.REJECTED,
                now,
                "rejected",
                SupplierOrderStatus.RECEIVED,
                SupplierOrderStatus.ACCEPTED);
        if (moved) {
            reason = why;
        }
        return moved;
    }

    /** The supplier ships it (from RECEIVED, ACCEPTED, or CANCEL_REQUESTED when it ships anyway). */
    public void ship(Instant now) {
        if (!move(
                SupplierOrderStatus.SHIPPED,
                now,
                "shipped",
                SupplierOrderStatus.RECEIVED,
                SupplierOrderStatus.ACCEPTED,
                SupplierOrderStatus.CANCEL_REQUESTED)) {
            throw new TransitionRefused("a " + status + " supplier order cannot be shipped");
        }
    }

    /** The parcel arrived (from SHIPPED). */
    public boolean deliver(Instant now) {
        boolean moved = move(SupplierOrderStatus.DELIVERED, now, "delivered", SupplierOrderStatus.SHIPPED);
        if (moved) {
            deliveredAt = now;
        }
        return moved;
    }

    /** The supplier confirms it stopped an order it was asked to cancel (from CANCEL_REQUESTED). */
    public boolean confirmCancellation(Instant now) {
        if (status != SupplierOrderStatus.CANCELLED && status != SupplierOrderStatus.CANCEL_REQUESTED) {
            throw new TransitionRefused("supplier order " + id + " is " + status + ", not CANCEL_REQUESTED");
        }
        return move(SupplierOrderStatus.CANCELLED, now, "cancelled", SupplierOrderStatus.CANCEL_REQUESTED);
    }

    /** What a cancellation did, and so what the supplier is told. */
    public enum Cancellation {
        /** Withdrawn before its supplier was given it: nobody to tell. */
        WITHDRAWN_UNSEEN,
        /** Withdrawn from its supplier, who had not taken it on. */
        WITHDRAWN,
        /** Taken on by its supplier, which may have packed it: the supplier is asked to stop it. */
        ASKED,
        /** Too late (shipped, rejected or ended): nothing changes. */
        NONE
    }

    /**
     * order-service cancelled it: unpaid or RECEIVED is withdrawn at once (CANCELLED); ACCEPTED may be packed already,
     * so its supplier is asked (CANCEL_REQUESTED) and confirms or ships.
     */
    public Cancellation cancel(String why, Instant now) {
        Cancellation done;
        if (status.unpaid()) {
            done = Cancellation.WITHDRAWN_UNSEEN;
            status = SupplierOrderStatus.CANCELLED;
        } else if (status == SupplierOrderStatus.RECEIVED) {
            done = Cancellation.WITHDRAWN;
            status = SupplierOrderStatus.CANCELLED;
        } else if (status == SupplierOrderStatus.ACCEPTED) {
            done = Cancellation.ASKED;
            status = SupplierOrderStatus.CANCEL_REQUESTED;
        } else {
            return Cancellation.NONE;
        }
        reason = why;
        updatedAt = now;
        return done;
    }

    /** Moves to {@code to} from one of {@code from}; false if it is there already; refused from anywhere else. */
    private boolean move(SupplierOrderStatus to, Instant now, String verb, SupplierOrderStatus... from) {
        if (status == to) {
            return false;
        }
        for (SupplierOrderStatus f : from) {
            if (status == f) {
                status = to;
                updatedAt = now;
                return true;
            }
        }
        throw new TransitionRefused("a " + status + " supplier order cannot be " + verb);
    }
}
