package io.dropship.settlement.domain;

import static io.dropship.settlement.domain.MoneyStatus.CANCELLED;
import static io.dropship.settlement.domain.MoneyStatus.INVOICED;
import static io.dropship.settlement.domain.MoneyStatus.NO_CHARGE;
import static io.dropship.settlement.domain.MoneyStatus.OPEN;
import static io.dropship.settlement.domain.MoneyStatus.REFUSED;
import static io.dropship.settlement.domain.MoneyStatus.SETTLED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The settlement state flow: which supplier orders are invoiced when, and which money a cancellation can still change. */
class InvoicingTests {

    private static Invoicing.Account reserved(int attempt, int together) {
        return new Invoicing.Account(attempt, together, "RESERVED", OPEN);
    }

    @Test
    void anOrderIsInvoicedOnceEverySupplierOrderOfItsFirstRoutingIsAnswered() {
        // Split over three suppliers: two reserved, the third not answered yet.
        List<Invoicing.Account> waiting =
                List.of(reserved(1, 3), reserved(1, 3), new Invoicing.Account(null, null, null, OPEN));
        assertEquals(List.of(), Invoicing.due(waiting));
        // The third is refused: the two reserved are invoiced together.
        List<Invoicing.Account> answered =
                List.of(reserved(1, 3), reserved(1, 3), new Invoicing.Account(1, 3, "REFUSED", REFUSED));
        assertEquals(List.of(0, 1), Invoicing.due(answered));
    }

    @Test
    void aSupplierOrderEndedBeforeItsAnswerCountsAsAnswered() {
        List<Invoicing.Account> accounts = List.of(reserved(1, 2), new Invoicing.Account(null, null, null, CANCELLED));
        assertEquals(List.of(0), Invoicing.due(accounts));
    }

    @Test
    void nothingIsInvoicedBeforeTheFirstRoutingsSizeIsKnown() {
        // Only Shipped or an end reached this row so far: its routing is unknown.
        assertEquals(List.of(), Invoicing.due(List.of(new Invoicing.Account(null, null, "RESERVED", OPEN))));
    }

    @Test
    void aReRoutedSupplierOrderIsInvoicedOnItsOwnAfterTheFirst() {
        List<Invoicing.Account> accounts = List.of(
                new Invoicing.Account(1, 2, "RESERVED", INVOICED),
                new Invoicing.Account(1, 2, "REFUSED", REFUSED),
                reserved(2, 1));
        assertEquals(List.of(2), Invoicing.due(accounts));
    }

    @Test
    void aSecondDeliveryInvoicesNothingTwice() {
        List<Invoicing.Account> accounts = List.of(new Invoicing.Account(1, 1, "RESERVED", INVOICED));
        assertEquals(List.of(), Invoicing.due(accounts));
    }

    @Test
    void onlyOpenOrInvoicedMoneyEndsAndOnlyOpenMoneyIsInvoiced() {
        for (MoneyStatus s : MoneyStatus.values()) {
            assertEquals(s == OPEN || s == INVOICED, s.ends(), s.name());
            assertEquals(s == OPEN, s.invoiceable(), s.name());
        }
        assertFalse(SETTLED.ends());
        assertFalse(NO_CHARGE.invoiceable());
        assertTrue(OPEN.ends());
    }
}
