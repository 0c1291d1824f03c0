package io.dropship.settlement;

import static io.dropship.testkit.AuthorizationMatrix.ADMIN;
import static io.dropship.testkit.AuthorizationMatrix.Caller.RETAILER;
import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPLIER;
import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPORT;
import static io.dropship.testkit.AuthorizationMatrix.STAFF;

import io.dropship.testkit.AuthorizationMatrix;
import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Who may call each settlement operation. Money moves (charges, refunds, fees, credit, plans) need ADMIN; SUPPORT
 * reads. A new endpoint fails this test until it has a line here.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AuthorizationMatrixIT {

    @Test
    void everyOperationTurnsAwayEveryCallerItIsNotFor() throws Exception {
        AuthorizationMatrix.of()
                .signed("POST /webhooks/stripe")
                .allow("PUT /api/billing/payment-method", RETAILER)
                .allow("GET /api/billing/payment-method", RETAILER)
                .allow("PUT /api/billing/branding", RETAILER)
                .allow("GET /api/billing/branding", RETAILER)
                .allow("GET /api/billing/payments", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("POST /api/billing/payments/{paymentId}/retry", RETAILER, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/billing/usage", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/billing/plans", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/billing/subscription", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("POST /api/billing/subscription", RETAILER)
                .allow("PUT /api/billing/subscription", RETAILER)
                .allow("DELETE /api/billing/subscription", RETAILER)
                .allow("POST /api/billing/connect", SUPPLIER)
                .allow("GET /api/billing/connect", SUPPLIER)
                .allow("GET /api/billing/statement", SUPPLIER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/supplier/return-policy", SUPPLIER)
                .allow("PUT /api/supplier/return-policy", SUPPLIER)
                .allow("GET /api/returns", RETAILER, SUPPLIER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("POST /api/returns", RETAILER, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/invoices/{orderId}", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/invoices/{orderId}/pdf", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/fee-rules", STAFF)
                .allow("PUT /api/fee-rules/{plan}", ADMIN)
                .allow("GET /api/fee-rules/featured-listing", STAFF)
                .allow("PUT /api/fee-rules/featured-listing", ADMIN)
                .allow("GET /api/fee-rules/{plan}/quote", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("PUT /api/retailers/{retailerId}/plan", ADMIN)
                .allow(
                        "GET /api/retailers/{retailerId}/credit-terms",
                        RETAILER,
                        SUPPORT,
                        AuthorizationMatrix.Caller.ADMIN)
                .allow("PUT /api/retailers/{retailerId}/credit-terms", ADMIN)
                .allow("DELETE /api/retailers/{retailerId}/credit-terms", ADMIN)
                .allow("GET /api/reconciliation", STAFF)
                .allow("POST /api/return-requests", RETAILER, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/return-requests", RETAILER, SUPPLIER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/return-requests/{id}", RETAILER, SUPPLIER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("POST /api/return-requests/{id}/authorise", SUPPLIER)
                .allow("POST /api/return-requests/{id}/refuse", SUPPLIER)
                .allow("POST /api/return-requests/{id}/overrule", SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("POST /api/return-requests/{id}/received", SUPPLIER)
                .allow("GET /api/disputes", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("GET /api/disputes/{id}", RETAILER, SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .allow("POST /api/disputes/{id}/evidence", SUPPORT, AuthorizationMatrix.Caller.ADMIN)
                .deadLetters()
                .check();
    }
}
