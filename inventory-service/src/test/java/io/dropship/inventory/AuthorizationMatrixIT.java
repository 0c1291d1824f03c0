package io.dropship.inventory;

import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPLIER;

import io.dropship.testkit.AuthorizationMatrix;
import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Who may call each inventory-service operation (stock, stock policies and feeds are the supplier's own); a new endpoint fails this test until it has a line here. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AuthorizationMatrixIT {

    @Test
    void everyOperationTurnsAwayEveryCallerItIsNotFor() throws Exception {
        AuthorizationMatrix.of()
                .allow("DELETE /api/supplier/stock-feed", SUPPLIER)
                .allow("GET /api/supplier/low-stock", SUPPLIER)
                .allow("GET /api/supplier/stock-feed", SUPPLIER)
                .allow("GET /api/supplier/stock-policy", SUPPLIER)
                .allow("GET /api/supplier/stock/{sku}", SUPPLIER)
                .allow("GET /api/supplier/stock", SUPPLIER)
                .allow("POST /api/supplier/stock-feed/run", SUPPLIER)
                .allow("POST /api/supplier/stock", SUPPLIER)
                .allow("PUT /api/supplier/stock-feed", SUPPLIER)
                .allow("PUT /api/supplier/stock-policy", SUPPLIER)
                .allow("PUT /api/supplier/stock/{sku}", SUPPLIER)
                .deadLetters()
                .check();
    }
}
