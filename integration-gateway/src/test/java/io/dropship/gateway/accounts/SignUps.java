package io.dropship.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Signing up and in as a person does, through the public API and the mails the tests' SMTP server received. */
public final class SignUps {

    public static final String PASSWORD = "correct horse battery";

    private SignUps() {}

    public static ValidatableResponse post(String path, String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/auth/" + path)
                .then();
    }

    public static ValidatableResponse signIn(String email, String password) {
        return post("signin", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    /** The code in the newest mail to the address whose subject starts so. */
    public static String codeFrom(String address, String subject) {
        MimeMessage[] found = new MimeMessage[1];
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            List<MimeMessage> mails = MailTestResource.to(address).stream()
                    .filter(m -> {
                        try {
                            return m.getSubject().startsWith(subject);
                        } catch (jakarta.mail.MessagingException e) {
                            return false;
                        }
                    })
                    .toList();
            found[0] = mails.isEmpty() ? null : mails.get(mails.size() - 1);
            return found[0] != null;
        });
        try {
            Matcher m = Pattern.compile("code=([A-Za-z0-9_-]+)").matcher(String.valueOf(found[0].getContent()));
            assertTrue(m.find(), "a link with a code in: " + found[0].getContent());
            return m.group(1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Signs a retailer up with this e-mail, confirms it from the mail, and signs in: the tokens. */
    public static JsonPath retailer(String email) {
        post(
                        "signup",
                        "{\"company\":\"Acme Shop\",\"name\":\"Ada\",\"email\":\"" + email + "\",\"password\":\""
                                + PASSWORD + "\"}")
                .statusCode(202)
                .body("status", equalTo("SENT"));
        post("verify-email", "{\"code\":\"" + codeFrom(email, "Confirm your e-mail") + "\"}")
                .statusCode(200);
        return signIn(email, PASSWORD).statusCode(200).extract().jsonPath();
    }
}
