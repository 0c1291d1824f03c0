package io.dropship.gateway;

import static io.dropship.testkit.AuthorizationMatrix.Caller.ADMIN;
import static io.dropship.testkit.AuthorizationMatrix.Caller.RETAILER;
import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPLIER;
import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPORT;

import io.dropship.testkit.AuthorizationMatrix;
import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Who may call each gateway operation; a new endpoint fails this test until it has a line here. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AuthorizationMatrixIT {

    @Test
    void everyOperationTurnsAwayEveryCallerItIsNotFor() throws Exception {
        AuthorizationMatrix.of()
                .signed("POST /webhooks/shopify")
                .signed("POST /webhooks/woocommerce")
                .allow("POST /api/dev/tokens", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/orders", RETAILER)
                .allow("POST /api/stores", RETAILER)
                .allow("GET /api/stores", RETAILER)
                .allow("DELETE /api/stores/{storeId}", RETAILER)
                .allow("POST /api/stores/shopify/install", RETAILER)
                .signed("GET /api/stores/shopify/install")
                .signed("GET /api/stores/shopify/callback")
                .allow("POST /api/stores/woocommerce/connect", RETAILER)
                .allow("POST /api/stores/woocommerce/callback", AuthorizationMatrix.PUBLIC)
                .allow("GET /api/openapi.json", AuthorizationMatrix.PUBLIC)
                .allow("GET /api/stores/{storeId}/listings", RETAILER)
                .allow("POST /api/stores/{storeId}/listings/{listingId}/sync", RETAILER)
                .allow("GET /api/stores/{storeId}/pushes", RETAILER, SUPPORT, ADMIN)
                // Support's one action here: send a failed tracking update to the store again.
                .allow("POST /api/stores/{storeId}/pushes/{pushId}/retry", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/sync/status", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/stock/low", RETAILER, SUPPORT, ADMIN)
                .allow("GET /api/stock/settings", RETAILER)
                .allow("PUT /api/stock/settings", RETAILER)
                // Exports hold a customer's personal data: the retailer's own, and admins; not support.
                .allow("POST /api/privacy-requests", RETAILER)
                .allow("GET /api/privacy-requests", RETAILER, ADMIN)
                .allow("GET /api/privacy-requests/{requestId}", RETAILER, ADMIN)
                .allow("POST /api/auth/signup", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/signup/supplier", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/verify-email", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/verify-email/resend", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/signin", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/signin/sso", AuthorizationMatrix.PUBLIC)
                // A browser's round trip through the identity provider (SsoIT): everyone is sent there first.
                .sameForEveryone("GET /api/auth/sso/signin", 302)
                .allow("POST /api/auth/invitations", RETAILER, SUPPLIER, ADMIN)
                .allow("POST /api/auth/invitations/accept", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/refresh", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/password-reset", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/password-reset/confirm", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/auth/signout", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("POST /api/auth/signout-everywhere", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("PUT /api/auth/password", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("PUT /api/auth/email", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("POST /api/auth/email/confirm", AuthorizationMatrix.PUBLIC)
                .allow("GET /api/auth/me", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("GET /api/retailers", SUPPORT, ADMIN)
                .allow("GET /api/retailers/{retailerId}", RETAILER, SUPPORT, ADMIN)
                .allow("POST /api/retailers/{retailerId}/suspend", ADMIN)
                .allow("POST /api/retailers/{retailerId}/reinstate", ADMIN)
                .allow("GET /api/retailers/{retailerId}/branding", RETAILER, SUPPORT, ADMIN)
                .allow("PUT /api/retailers/{retailerId}/branding", RETAILER, ADMIN)
                .allow("GET /api/notifications", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("GET /api/notifications/unread-count", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("POST /api/notifications/{id}/read", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("POST /api/notifications/read-all", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("GET /api/notifications/preferences", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                .allow("PUT /api/notifications/preferences/{kind}", RETAILER, SUPPLIER, SUPPORT, ADMIN)
                // The link in every notification e-mail: its unguessable token is the credential.
                .allow("GET /api/notifications/unsubscribe", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/notifications/unsubscribe", AuthorizationMatrix.PUBLIC)
                .deadLetters()
                .check();
    }
}
