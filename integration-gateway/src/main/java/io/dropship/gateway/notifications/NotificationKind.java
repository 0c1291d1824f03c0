package io.dropship.gateway.notifications;

import java.util.Arrays;
import java.util.List;

/**
 * What a person can be told of, whom it is for, and how it reaches them unless they chose otherwise. Kinds that ask
 * for action go out by e-mail at once by default; news that asks for none goes to the feed and a daily digest.
 */
public enum NotificationKind {
    ORDER_HELD(
            Audience.RETAILER,
            "An order is on hold: no supplier can take one of its lines",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    ORDER_CANCELLED(
            Audience.RETAILER,
            "An order was cancelled by the platform, support or its hold limit",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    PAYMENT_FAILED(
            Audience.RETAILER,
            "A charge for an order failed, or the order waits for the plan; its supplier orders wait for it",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    SUBSCRIPTION(
            Audience.RETAILER,
            "Your subscription's renewal failed (new orders wait after the grace period), or it ended",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    SUPPLIER_REJECTED(
            Audience.RETAILER,
            "A supplier rejected an order; it was routed again or held",
            Channel.FEED,
            Cadence.DAILY),
    PRICE_CHANGE_WAITING(
            Audience.RETAILER,
            "A supplier's new cost moves a listing's price beyond your tolerance: approve or reject it",
            Channel.EMAIL,
            Cadence.DAILY),
    LOW_STOCK(
            Audience.RETAILER,
            "A listing runs low: every supplier product behind it is below its threshold",
            Channel.EMAIL,
            Cadence.DAILY),
    LISTING_SYNC_ERROR(Audience.RETAILER, "A store refused a listing", Channel.EMAIL, Cadence.DAILY),
    SUPPLIER_ORDER_RECEIVED(
            Audience.SUPPLIER,
            "A new order to ship (suppliers without a callback endpoint)",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    SUPPLIER_ORDER_CANCELLED(
            Audience.SUPPLIER,
            "An order was cancelled, or its cancellation is asked for",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    PAYOUT_SENT(Audience.SUPPLIER, "A payout for a shipped order was sent", Channel.EMAIL, Cadence.DAILY),
    RETURN_RETAILER(
            Audience.RETAILER,
            "A return you asked for was authorised, refused or refunded",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    RETURN_TO_AUTHORISE(
            Audience.SUPPLIER,
            "A retailer asks to return units: authorise or refuse it",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    CASE_RETAILER(
            Audience.RETAILER,
            "A case on one of your orders was opened, answered or resolved",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    CASE_SUPPLIER(
            Audience.SUPPLIER,
            "A case on one of your supplier orders was opened, answered or resolved",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    CASE_STAFF(Audience.STAFF, "A case was opened and waits for support", Channel.EMAIL, Cadence.IMMEDIATE),
    RECONCILIATION_MISMATCH(
            Audience.STAFF,
            "The reconciliation against Stripe found money that does not agree",
            Channel.EMAIL,
            Cadence.IMMEDIATE),
    DEAD_LETTER(
            Audience.STAFF,
            "An event could not be processed and waits in a dead-letter topic",
            Channel.EMAIL,
            Cadence.IMMEDIATE);

    /** Who hears of a kind. */
    public enum Audience {
        RETAILER,
        SUPPLIER,
        STAFF
    }

    /** EMAIL: the feed and e-mail; FEED: the feed only; OFF: not at all. */
    public enum Channel {
        EMAIL,
        FEED,
        OFF
    }

    public enum Cadence {
        IMMEDIATE,
        DAILY
    }

    public final Audience audience;
    public final String description;
    public final Channel defaultChannel;
    public final Cadence defaultCadence;

    NotificationKind(Audience audience, String description, Channel defaultChannel, Cadence defaultCadence) {
        this.audience = audience;
        this.description = description;
        this.defaultChannel = defaultChannel;
        this.defaultCadence = defaultCadence;
    }

    /** The kinds an account of this kind (RETAILER, SUPPLIER, STAFF) can hear of. */
    public static List<NotificationKind> forAccountKind(String accountKind) {
        return Arrays.stream(values())
                .filter(k -> k.audience.name().equals(accountKind))
                .toList();
    }
}
