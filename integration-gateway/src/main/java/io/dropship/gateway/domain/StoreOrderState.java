package io.dropship.gateway.domain;

import java.time.Instant;

/**
 * What the gateway knows of one store order from the deliveries it took in, and the rule that keeps the newest
 * state: stores deliver out of order and retry for hours with the original payload, so a delivery is judged by the
 * time the store gives it, not by when it arrives.
 *
 * @param stateAt   the store's time of the newest state taken in (null when no delivery carried a time)
 * @param cancelled whether that state is cancelled
 */
public record StoreOrderState(Instant stateAt, boolean cancelled) {

    /** What a delivery says of its order. */
    public enum Kind {
        /** Ready to fulfil: paid, or created where the store fulfils on creation. */
        PLACE,
        /** Cancelled by the store. */
        CANCEL,
        /** Any other state (waiting for payment, on hold): nothing to do, but newer than what came before. */
        OTHER
    }

    public enum Verdict {
        /** Act on it. */
        APPLY,
        /** An older state than one already taken in: it changes nothing. */
        STALE,
        /** An order that the store cancelled, at or after this delivery's time: it never reaches a supplier. */
        ALREADY_CANCELLED
    }

    public record Decision(Verdict verdict, StoreOrderState next) {}

    /** The order's state before any delivery about it. */
    public static final StoreOrderState UNKNOWN = new StoreOrderState(null, false);

    /**
     * Judges a delivery of {@code kind} with the store's time {@code at} (null when it carries none) against this
     * state. A cancellation wins a tie with a placement: at the same instant the store's last word is the cancel.
     */
    public Decision decide(Kind kind, Instant at) {
        if (at != null && stateAt != null && at.isBefore(stateAt)) {
            return new Decision(Verdict.STALE, this);
        }
        Instant newest = at == null ? stateAt : at;
        return switch (kind) {
            case CANCEL -> new Decision(Verdict.APPLY, new StoreOrderState(newest, true));
            case PLACE -> {
                boolean reopened = at != null && stateAt != null && at.isAfter(stateAt);
                if (cancelled && !reopened) {
                    yield new Decision(Verdict.ALREADY_CANCELLED, this);
                }
                yield new Decision(Verdict.APPLY, new StoreOrderState(newest, false));
            }
            case OTHER -> new Decision(Verdict.APPLY, new StoreOrderState(newest, cancelled));
        };
    }
}
