package io.dropship.settlement.domain;

/**
 * The settlement state flow of one supplier order's money ({@code supplier_order_account.status}).
 * <pre>
 *   OPEN ──invoiced──▶ INVOICED ──shipped and paid out──▶ SETTLED
 *     │                   │
 *     └──ended───▶ CANCELLED ◀──ended (entries reversed, its share refunded if paid)
 *   REFUSED    its stock could not be reserved (never invoiced)
 *   NO_CHARGE  a reship a case gave at no charge (never invoiced, charged or paid out)
 * </pre>
 * Events may arrive in any order, so a row can be created in any state; {@link #ends()} and {@link #invoiceable()}
 * say which moves a state allows.
 */
public enum MoneyStatus {
    OPEN,
    INVOICED,
    SETTLED,
    CANCELLED,
    REFUSED,
    NO_CHARGE;

    /** A supplier order that will never ship changes its money only while it is OPEN or INVOICED (not once paid out). */
    public boolean ends() {
        return this == OPEN || this == INVOICED;
    }

    /** Only an OPEN supplier order whose stock was reserved is invoiced. */
    public boolean invoiceable() {
        return this == OPEN;
    }
}
