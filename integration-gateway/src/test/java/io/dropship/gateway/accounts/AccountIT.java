package io.dropship.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A retailer signs up, confirms its e-mail from a real mail, signs in, refreshes, signs out, resets its password. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(MailTestResource.class)
class AccountIT {

    private static final String PASSWORD = SignUps.PASSWORD;
    private final String email = "owner-" + UUID.randomUUID().toString().substring(0, 8) + "@shop.example";

    private static ValidatableResponse post(String path, String body) {
        return SignUps.post(path, body);
    }

    private static ValidatableResponse signIn(String email, String password) {
        return SignUps.signIn(email, password);
    }

    private static String codeFrom(String address, String subject) {
        return SignUps.codeFrom(address, subject);
    }

    private JsonPath signedUpAndVerified() {
        post(
                        "signup",
                        "{\"company\":\"Acme Shop\",\"name\":\"Ada\",\"email\":\"" + email + "\",\"password\":\""
                                + PASSWORD + "\"}")
                .statusCode(202)
                .body("status", equalTo("SENT"));
        signIn(email, PASSWORD).statusCode(403).body("detail", startsWith("confirm your e-mail first"));
        post("verify-email", "{\"code\":\"" + codeFrom(email, "Confirm your e-mail") + "\"}")
                .statusCode(200)
                .body("verified", equalTo(true));
        return signIn(email, PASSWORD)
                .statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .extract()
                .jsonPath();
    }

    @Test
    void aRetailerSignsUpConfirmsItsEmailSignsInAndIsThatRetailerEverywhere() {
        JsonPath tokens = signedUpAndVerified();
        String access = tokens.getString("accessToken");

        JsonPath me = given().auth()
                .oauth2(access)
                .get("/api/auth/me")
                .then()
                .statusCode(200)
                .body("email", equalTo(email))
                .body("kind", equalTo("RETAILER"))
                .body("role", equalTo("OWNER"))
                .body("emailVerified", equalTo(true))
                .body("retailerId", startsWith("ret-"))
                .extract()
                .jsonPath();
        // An authorised call as that retailer: its (empty) list of stores, and a store it connects is its own.
        given().auth().oauth2(access).get("/api/stores").then().statusCode(200).body("items.size()", equalTo(0));
        given().auth().oauth2(access).get("/api/privacy-requests").then().statusCode(200);
        given().auth()
                .oauth2(access)
                .get("/api/sync/status?retailerId=ret-someone-else")
                .then()
                .statusCode(403);
        assertEquals(1, MailTestResource.to(email).size(), "one mail: the confirmation");
        assertTrue(me.getString("retailerId").length() > 4);
        // The code works once.
        post("verify-email", "{\"code\":\"" + codeFrom(email, "Confirm your e-mail") + "\"}")
                .statusCode(400);
    }

    @Test
    void aSupplierSignsUpItsOnboardingStartsInTheCatalogAndItSignsInAsThatSupplier() throws Exception {
        post(
                        "signup/supplier",
                        "{\"companyName\":\"Acme Home\",\"name\":\"Grace\",\"email\":\"" + email + "\",\"password\":\""
                                + PASSWORD + "\",\"businessType\":\"MANUFACTURER\",\"shipFromRegion\":\"US-CA\"}")
                .statusCode(202)
                .body("status", equalTo("SENT"));
        org.apache.kafka.clients.consumer.ConsumerRecord<String, String> event = io.dropship.testkit.TopicProbe.await(
                "SupplierSignedUp", r -> r.value().contains(email), Duration.ofSeconds(60));
        io.dropship.contracts.ContractCheck.assertValid("SupplierSignedUp", event.value());
        String supplierId = event.key();
        assertTrue(supplierId.startsWith("sup-"), supplierId);

        post("verify-email", "{\"code\":\"" + codeFrom(email, "Confirm your e-mail") + "\"}")
                .statusCode(200);
        String access = signIn(email, PASSWORD).statusCode(200).extract().path("accessToken");
        given().auth()
                .oauth2(access)
                .get("/api/auth/me")
                .then()
                .statusCode(200)
                .body("kind", equalTo("SUPPLIER"))
                .body("supplierId", equalTo(supplierId))
                .body("retailerId", equalTo(null));
        String claims = new String(
                java.util.Base64.getUrlDecoder().decode(access.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(
                claims.contains("\"supplier_id\":\"" + supplierId + "\"") && claims.contains("\"SUPPLIER\""), claims);
        // A supplier's token is not a retailer's.
        given().auth().oauth2(access).get("/api/stores").then().statusCode(403);
        post(
                        "signup/supplier",
                        "{\"companyName\":\"X\",\"email\":\"x@y.example\",\"password\":\"" + PASSWORD
                                + "\",\"businessType\":\"FARMER\",\"shipFromRegion\":\"usa\"}")
                .statusCode(400);
    }

    @Test
    void anUnknownEmailAndAWrongPasswordAreOneAnswerAndASecondSignUpIsToldByMail() {
        signedUpAndVerified();
        String wrong = signIn(email, "not the password at all")
                .statusCode(401)
                .extract()
                .path("detail");
        String unknown =
                signIn("nobody-" + email, PASSWORD).statusCode(401).extract().path("detail");
        assertEquals(wrong, unknown);

        post(
                        "signup",
                        "{\"company\":\"Other\",\"email\":\"" + email.toUpperCase() + "\",\"password\":\"" + PASSWORD
                                + "2\"}")
                .statusCode(202)
                .body("status", equalTo("SENT"));
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> MailTestResource.to(email).size() == 2);
        signIn(email, PASSWORD + "2").statusCode(401);
        signIn(email, PASSWORD).statusCode(200);

        post("signup", "{\"company\":\"X\",\"email\":\"not-an-email\",\"password\":\"" + PASSWORD + "\"}")
                .statusCode(400);
        post("signup", "{\"company\":\"X\",\"email\":\"short@shop.example\",\"password\":\"short\"}")
                .statusCode(400);
        post("signin", "{\"email\": ").statusCode(400);
    }

    @Test
    void twentyFourSignInsAtOnceAreEachAnsweredAsIfAlone() throws Exception {
        // Argon2id takes 19 MiB a check: on the shared worker pool twenty at once (one address's minute) ran the
        // fleet's gateway out of memory and answered 500. They wait for a password lane now, and each gets its answer.
        signedUpAndVerified();
        ExecutorService clients = Executors.newFixedThreadPool(24);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String who = i % 2 == 0 ? email : "nobody-" + i + "-" + email;
                answers.add(clients.submit(() -> signIn(who, PASSWORD).extract().statusCode()));
            }
            for (int i = 0; i < 24; i++) {
                assertEquals(i % 2 == 0 ? 200 : 401, answers.get(i).get(120, TimeUnit.SECONDS), "sign-in " + i);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aRefreshTokenWorksOnceAndOneUsedAgainEndsTheSession() {
        JsonPath first = signedUpAndVerified();
        JsonPath second = post("refresh", "{\"refreshToken\":\"" + first.getString("refreshToken") + "\"}")
                .statusCode(200)
                .extract()
                .jsonPath();
        assertNotEquals(first.getString("refreshToken"), second.getString("refreshToken"));
        given().auth()
                .oauth2(second.getString("accessToken"))
                .get("/api/auth/me")
                .then()
                .statusCode(200);

        // The first refresh token again: stolen or replayed. The session ends, so the second one stops working too.
        post("refresh", "{\"refreshToken\":\"" + first.getString("refreshToken") + "\"}")
                .statusCode(401)
                .body("detail", startsWith("this refresh token was used already"));
        post("refresh", "{\"refreshToken\":\"" + second.getString("refreshToken") + "\"}")
                .statusCode(401)
                .body("detail", startsWith("the session has ended"));
        post("refresh", "{\"refreshToken\":\"made-up\"}").statusCode(401);
    }

    @Test
    void anEmailChangesOnlyOnceTheNewAddressConfirmsItAndTheOldOneIsTold() {
        String access = signedUpAndVerified().getString("accessToken");
        String newEmail = "new-" + email;
        given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body("{\"password\":\"wrong\",\"newEmail\":\"" + newEmail + "\"}")
                .put("/api/auth/email")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body("{\"password\":\"" + PASSWORD + "\",\"newEmail\":\"" + newEmail + "\"}")
                .put("/api/auth/email")
                .then()
                .statusCode(202);
        signIn(email, PASSWORD).statusCode(200); // nothing changed yet

        post("email/confirm", "{\"code\":\"" + codeFrom(newEmail, "Confirm your new e-mail") + "\"}")
                .statusCode(200)
                .body("changed", equalTo(true));
        signIn(email, PASSWORD).statusCode(401);
        signIn(newEmail, PASSWORD).statusCode(200);
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> MailTestResource.to(email).stream().anyMatch(m -> {
                    try {
                        return m.getSubject().equals("Your Dropship e-mail was changed");
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                }));
        given().auth().oauth2(access).get("/api/auth/me").then().body("email", equalTo(newEmail));
    }

    @Test
    void signingOutEndsTheSessionAndOnlyThatOne() {
        JsonPath laptop = signedUpAndVerified();
        JsonPath phone = signIn(email, PASSWORD).statusCode(200).extract().jsonPath();

        given().auth()
                .oauth2(laptop.getString("accessToken"))
                .post("/api/auth/signout")
                .then()
                .statusCode(204);
        post("refresh", "{\"refreshToken\":\"" + laptop.getString("refreshToken") + "\"}")
                .statusCode(401);
        JsonPath phoneAgain = post("refresh", "{\"refreshToken\":\"" + phone.getString("refreshToken") + "\"}")
                .statusCode(200)
                .extract()
                .jsonPath();

        given().auth()
                .oauth2(phoneAgain.getString("accessToken"))
                .post("/api/auth/signout-everywhere")
                .then()
                .statusCode(204);
        post("refresh", "{\"refreshToken\":\"" + phoneAgain.getString("refreshToken") + "\"}")
                .statusCode(401);
    }

    @Test
    void wrongPasswordsLockTheAccountForAWhileWhateverPasswordComesNext() {
        signedUpAndVerified();
        for (int i = 0; i < 5; i++) {
            signIn(email, "guess number " + i).statusCode(401);
        }
        // Locked: even the right password gets the same 401, until the lock-out (2 s in tests) is over.
        signIn(email, PASSWORD).statusCode(401);
        await().pollDelay(Duration.ofSeconds(2))
                .atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> signIn(email, PASSWORD).statusCode(200));
    }

    @Test
    void aPasswordResetByMailSetsTheNewPasswordAndEndsEverySession() {
        JsonPath before = signedUpAndVerified();
        post("password-reset", "{\"email\":\"" + email + "\"}").statusCode(202).body("status", equalTo("SENT"));
        post("password-reset", "{\"email\":\"nobody-" + email + "\"}")
                .statusCode(202)
                .body("status", equalTo("SENT"));
        String code = codeFrom(email, "Reset your Dropship password");

        post("password-reset/confirm", "{\"code\":\"" + code + "\",\"password\":\"a brand new passphrase\"}")
                .statusCode(204);
        post("password-reset/confirm", "{\"code\":\"" + code + "\",\"password\":\"and another passphrase\"}")
                .statusCode(400);
        post("refresh", "{\"refreshToken\":\"" + before.getString("refreshToken") + "\"}")
                .statusCode(401);
        signIn(email, PASSWORD).statusCode(401);
        JsonPath after = signIn(email, "a brand new passphrase")
                .statusCode(200)
                .extract()
                .jsonPath();

        given().auth()
                .oauth2(after.getString("accessToken"))
                .contentType(ContentType.JSON)
                .body("{\"currentPassword\":\"wrong\",\"newPassword\":\"yet another passphrase\"}")
                .put("/api/auth/password")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(after.getString("accessToken"))
                .contentType(ContentType.JSON)
                .body("{\"currentPassword\":\"a brand new passphrase\",\"newPassword\":\"yet another passphrase\"}")
                .put("/api/auth/password")
                .then()
                .statusCode(204);
        signIn(email, "yet another passphrase").statusCode(200).body("accessToken", notNullValue());
    }
}
