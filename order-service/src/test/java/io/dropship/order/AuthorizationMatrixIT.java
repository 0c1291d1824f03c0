package io.dropship.order;

import static io.dropship.testkit.AuthorizationMatrix.Caller.ADMIN;
import static io.dropship.testkit.AuthorizationMatrix.Caller.RETAILER;
import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPLIER;
import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPORT;

import io.dropship.testkit.AuthorizationMatrix;
import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Who may call each order-service operation; a new endpoint fails this test until it has a line here. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AuthorizationMatrixIT {

    @Test
    void everyOperationTurnsAwayEveryCallerItIsNotFor() throws Exception {
        AuthorizationMatrix.of()
                .allow("GET /api/orders", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/orders/{id}", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/orders/{id}/status", RETAILER, SUPPORT, ADMIN)
                .allow("POST /api/orders/{id}/cancel", RETAILER, ADMIN)
                .allow("POST /api/orders/{id}/lines/{lineId}/route", RETAILER, SUPPORT, ADMIN)
                .allow("POST /api/orders/{id}/lines/{lineId}/substitute", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/orders/{id}/actions", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/orders/{id}/timeline", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/retailers/{retailerId}/order-settings", RETAILER, SUPPORT, ADMIN)
                .allow("PUT /api/retailers/{retailerId}/order-settings", RETAILER, ADMIN)
                .allow("POST /api/cases", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("GET /api/cases", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("GET /api/cases/{id}", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("POST /api/cases/{id}/messages", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("POST /api/cases/{id}/status", SUPPORT, ADMIN)
                .allow("POST /api/cases/{id}/resolve", SUPPORT, ADMIN)
                .allow("GET /api/routing/listings/{listingId}", AuthorizationMatrix.STAFF)
                .allow("GET /api/analytics/sales", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/analytics/supplier-sales", SUPPLIER, SUPPORT, ADMIN)
                .allow("GET /api/analytics/platform", ADMIN)
                .allow("GET /api/supplier-performance", AuthorizationMatrix.STAFF)
                .allow("GET /api/supplier-performance/{supplierId}", SUPPLIER, SUPPORT, ADMIN)
                .deadLetters()
                .check();
    }
}
