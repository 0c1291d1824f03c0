package io.dropship.settlement.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * When an order's supplier orders are invoiced: once every supplier order of the order's first routing is answered
 * (its stock reserved or refused, or it ended), the reserved ones not yet invoiced are invoiced and charged together,
 * in one payment. A supplier order reserved later, after a re-route, is invoiced in one of its own.
 */
public final class Invoicing {

    private Invoicing() {}

    /**
     * One supplier order of the order, as far as its events have told.
     *
     * @param attempt        the routing that made it (1: the first), null if not known yet
     * @param routedTogether how many supplier orders that routing made, null if not known yet
     * @param reservation    RESERVED or REFUSED, null while inventory has not answered
     */
    public record Account(Integer attempt, Integer routedTogether, String reservation, MoneyStatus status) {}

    /** The positions in {@code accounts} to invoice now; none while the first routing is still waiting for an answer. */
    public static List<Integer> due(List<Account> accounts) {
        int firstRouting = 0;
        int answered = 0;
        List<Integer> due = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            Account a = accounts.get(i);
            boolean first = a.attempt() == null || a.attempt() == 1;
            if (a.attempt() != null && a.attempt() == 1 && a.routedTogether() != null) {
                firstRouting = a.routedTogether();
            }
            if (first && (a.reservation() != null || a.status() == MoneyStatus.CANCELLED)) {
                answered++;
            }
            if ("RESERVED".equals(a.reservation()) && a.status().invoiceable()) {
                due.add(i);
            }
        }
        return firstRouting == 0 || answered < firstRouting ? List.of() : due;
    }
}
