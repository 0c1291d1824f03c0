package io.dropship.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on against an OpenID Connect provider the test starts (LocalIssuer): the browser's round trip through
 * the provider, its ID token mapped onto an account, and the one-time code exchanged for the platform's tokens.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(MailTestResource.class)
@QuarkusTestResource(LocalIssuer.class)
class SsoIT {

    /** A browser signing in: the gateway, the provider, back to the gateway with its cookies; the app's landing URL. */
    private static Response roundTrip() {
        Response start = given().redirects().follow(false).get("/api/auth/sso/signin");
        assertEquals(302, start.statusCode(), start.asString());
        String atProvider = start.header("Location");
        assertTrue(atProvider.startsWith(LocalIssuerUrl.get() + "/authorize?"), atProvider);
        String back = given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .get(atProvider)
                .then()
                .statusCode(302)
                .extract()
                .header("Location");
        URI uri = URI.create(back);
        Response callback = given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .cookies(start.cookies())
                .get(uri.getRawPath() + "?" + uri.getRawQuery());
        // quarkus-oidc, its code exchanged, sends the browser back to the path it started from, with its session.
        if (callback.statusCode() == 302
                && URI.create(callback.header("Location")).getPath().equals("/api/auth/sso/signin")) {
            return given().redirects().follow(false).cookies(callback.cookies()).get("/api/auth/sso/signin");
        }
        return callback;
    }

    /** The app's landing after the gateway finished: the one-time code in its query. */
    private static String codeFrom(Response finished) {
        Response last = finished;
        assertEquals(303, last.statusCode(), last.asString());
        String landing = last.header("Location");
        assertTrue(landing.contains("/signin/sso?code="), landing);
        return landing.substring(landing.indexOf("code=") + 5);
    }

    @Test
    void anAdminOfTheOrganisationSignsInThroughItsProviderAndGetsTheSameTokensAsAPasswordWould() {
        String email = "ops-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        LocalIssuer.signsInNext(new LocalIssuer.User("sub-" + email, email, true, List.of("staff", "dropship-admins")));
        String code = codeFrom(roundTrip());
        String access = given().contentType(ContentType.JSON)
                .body(Map.of("code", code))
                .post("/api/auth/signin/sso")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        given().auth()
                .oauth2(access)
                .get("/api/auth/me")
                .then()
                .statusCode(200)
                .body("email", equalTo(email))
                .body("role", equalTo("ADMIN"));
        given().auth().oauth2(access).get("/api/retailers").then().statusCode(200);
        // The code is good once.
        given().contentType(ContentType.JSON)
                .body(Map.of("code", code))
                .post("/api/auth/signin/sso")
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:dropship:problem:link-not-valid"));
    }

    @Test
    void aRetailersPersonSignsInToTheirExistingAccountAndAStrangerIsTurnedAway() throws Exception {
        String email = "buyer-" + UUID.randomUUID().toString().substring(0, 8) + "@shop.example";
        String retailerId = given().auth()
                .oauth2(SignUps.retailer(email).getString("accessToken"))
                .get("/api/auth/me")
                .then()
                .extract()
                .path("retailerId");
        LocalIssuer.signsInNext(new LocalIssuer.User("sub-" + email, email, true, List.of()));
        String access = given().contentType(ContentType.JSON)
                .body(Map.of("code", codeFrom(roundTrip())))
                .post("/api/auth/signin/sso")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        given().auth().oauth2(access).get("/api/auth/me").then().body("retailerId", equalTo(retailerId));

        String stranger = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.example";
        LocalIssuer.signsInNext(new LocalIssuer.User("sub-" + stranger, stranger, true, List.of("staff")));
        Response refused = roundTrip();
        assertEquals(403, refused.statusCode(), refused.asString());
        assertEquals("urn:dropship:problem:sso-no-account", refused.jsonPath().getString("type"));

        String unverified = "unverified-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        LocalIssuer.signsInNext(
                new LocalIssuer.User("sub-" + unverified, unverified, false, List.of("dropship-admins")));
        Response notVouched = roundTrip();
        assertEquals(403, notVouched.statusCode(), notVouched.asString());
        assertEquals(
                "urn:dropship:problem:sso-email-not-verified",
                notVouched.jsonPath().getString("type"));
    }

    @Test
    void bearerTokensStillWorkBesideSingleSignOn() {
        given().auth().oauth2(TestTokens.admin()).get("/api/retailers").then().statusCode(200);
        given().get("/api/retailers").then().statusCode(401);
        given().contentType(ContentType.JSON)
                .body(Map.of("code", "made-up"))
                .post("/api/auth/signin/sso")
                .then()
                .statusCode(400);
        given().redirects()
                .follow(false)
                .get("/api/auth/sso/signin")
                .then()
                .statusCode(302)
                .header("Location", startsWith(LocalIssuerUrl.get()));
    }

    /** The provider's base URL, for assertions. */
    static final class LocalIssuerUrl {
        static String get() {
            try {
                return LocalIssuer.url();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
