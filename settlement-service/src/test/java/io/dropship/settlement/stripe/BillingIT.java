package io.dropship.settlement.stripe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retailers become Stripe customers and suppliers connected accounts, against the fake of Stripe's API. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class BillingIT {

    @Test
    void aRetailerSavesAPaymentMethodOnceAsACustomerAndChangesItLater() {
        String retailer = "ret-" + UUID.randomUUID();
        String token = TestTokens.retailer(retailer);
        given().auth().oauth2(token).get("/api/billing/payment-method").then().statusCode(404);
        String customer = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"billing@shop.test\",\"paymentMethodId\":\"pm_card_visa\"}")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(200)
                .body("customerId", startsWith("cus_"))
                .body("defaultPaymentMethod", equalTo("pm_card_visa"))
                .extract()
                .path("customerId");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"billing@shop.test\",\"paymentMethodId\":\"pm_card_mastercard\"}")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(200)
                .body("customerId", equalTo(customer))
                .body("defaultPaymentMethod", equalTo("pm_card_mastercard"));
        assertEquals(
                "pm_card_mastercard",
                FakeStripeTestResource.stripe()
                        .object(customer)
                        .at("/invoice_settings/default_payment_method")
                        .asText());
        assertEquals(
                retailer,
                FakeStripeTestResource.stripe()
                        .object(customer)
                        .at("/metadata/retailerId")
                        .asText());

        // Bad input and Stripe being unavailable.
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"nope\",\"paymentMethodId\":\"card\"}")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"email\":")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier("sup-1"))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"a@b.test\",\"paymentMethodId\":\"pm_card_visa\"}")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(403);
        String limited = "ret-" + UUID.randomUUID();
        FakeStripeTestResource.stripe().failNextOn("customers", java.util.Map.of("metadata[retailerId]", limited), 429);
        given().auth()
                .oauth2(TestTokens.retailer(limited))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"a@b.test\",\"paymentMethodId\":\"pm_card_visa\"}")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(503)
                .body("detail", containsString("Too many requests"));
    }

    @Test
    void aSupplierGetsOneConnectedAccountAndAnOnboardingLinkEachTime() {
        String supplier = "sup-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.supplier(supplier);
        given().auth().oauth2(token).get("/api/billing/connect").then().statusCode(404);
        String account = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"payouts@acme.test\"}")
                .post("/api/billing/connect")
                .then()
                .statusCode(200)
                .body("accountId", startsWith("acct_"))
                .body("status", equalTo("ONBOARDING"))
                .body("payoutsEnabled", equalTo(false))
                .body("onboardingUrl", startsWith("https://connect.stripe.com/"))
                .extract()
                .path("accountId");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"payouts@acme.test\"}")
                .post("/api/billing/connect")
                .then()
                .statusCode(200)
                .body("accountId", equalTo(account));
        assertEquals(
                1,
                FakeStripeTestResource.stripe().objects("account").stream()
                        .filter(a ->
                                supplier.equals(a.at("/metadata/supplierId").asText()))
                        .count());
        given().auth()
                .oauth2(token)
                .get("/api/billing/connect")
                .then()
                .statusCode(200)
                .body("accountId", equalTo(account));
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"a@b.test\"}")
                .post("/api/billing/connect")
                .then()
                .statusCode(403);
    }
}
