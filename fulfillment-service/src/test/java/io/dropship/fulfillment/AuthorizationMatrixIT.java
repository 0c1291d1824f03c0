package io.dropship.fulfillment;

import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPLIER;

import io.dropship.testkit.AuthorizationMatrix;
import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Who may call each fulfillment-service operation (supplier orders and callbacks are the supplier's own); a new endpoint fails this test until it has a line here. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AuthorizationMatrixIT {

    @Test
    void everyOperationTurnsAwayEveryCallerItIsNotFor() throws Exception {
        AuthorizationMatrix.of()
                .allow("GET /api/supplier/callback/deliveries", SUPPLIER)
                .allow("GET /api/supplier/callback", SUPPLIER)
                .allow("GET /api/supplier/orders/{id}", SUPPLIER)
                .allow("GET /api/supplier/orders/{id}/packing-slip", SUPPLIER)
                .allow("GET /api/supplier/orders", SUPPLIER)
                .allow("POST /api/supplier/orders/{id}/accept", SUPPLIER)
                .allow("POST /api/supplier/orders/{id}/cancel", SUPPLIER)
                .allow("POST /api/supplier/orders/{id}/deliver", SUPPLIER)
                .allow("POST /api/supplier/orders/{id}/reject", SUPPLIER)
                .allow("POST /api/supplier/orders/{id}/ship", SUPPLIER)
                .allow("PUT /api/supplier/callback", SUPPLIER)
                .deadLetters()
                .check();
    }
}
