package io.dropship.inventory.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StockLevelTests {

    @Test
    void availableIsOnHandLessReserved() {
        assertEquals(7, new StockLevel("s", "A", 10, 3).available());
    }

    @Test
    void availableNeverGoesNegativeWhenTheSupplierReportsLessThanIsReserved() {
        assertEquals(0, new StockLevel("s", "A", 2, 5).available());
    }

    @Test
    void stockIsLowBelowTheThreshold() {
        assertTrue(new StockLevel("s", "A", 4, 0).isLow(5));
        assertFalse(new StockLevel("s", "A", 5, 0).isLow(5));
    }

    @Test
    void theSupplierProductIdIsTheSupplierAndItsSku() {
        assertEquals("sup-1:MUG-1", new StockLevel("sup-1", "MUG-1", 0, 0).supplierProductId());
    }
}
