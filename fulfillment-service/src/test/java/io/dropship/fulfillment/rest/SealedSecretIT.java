package io.dropship.fulfillment.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.fulfillment.service.SecretResealing;
import io.dropship.platform.web.SealedSecrets;
import io.dropship.platform.web.SecretBox;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/** Callback signing secrets are stored sealed, with their key's id, and sealed again after a key rotation. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class SealedSecretIT {

    /** The key the test profile keeps as a previous key (platform/web microprofile-config.properties). */
    static final String OLD_KEY = "old:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @Inject
    SealedSecrets secrets;

    @Inject
    SecretResealing resealing;

    @Inject
    Mutiny.SessionFactory sessions;

    private static Object[] row(String supplier) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s =
                        c.prepareStatement("select signing_secret, signing_secret_sealed from supplier_callback"
                                + " where supplier_id = ?")) {
            s.setString(1, supplier);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Object[] {rs.getString(1), rs.getBytes(2)} : null;
            }
        }
    }

    private static void update(String sql, Object... params) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    @Test
    void aCallbackSecretIsStoredSealedNeverInPlainText() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String shown = given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"http://127.0.0.1:9/hook\",\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200)
                .extract()
                .path("signingSecret");
        Object[] stored = row(supplier);
        assertNull(stored[0], "no plain copy");
        byte[] sealed = (byte[]) stored[1];
        assertFalse(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1).contains(shown));
        assertEquals(shown, secrets.box().open(sealed));
        assertTrue(secrets.box().isCurrent(sealed));
    }

    @Test
    void plainSecretsFromBeforeAndSecretsUnderAnOldKeyAreSealedAgainUnderTheCurrentKey() throws Exception {
        String plain = "sup-" + UUID.randomUUID();
        String old = "sup-" + UUID.randomUUID();
        update(
                "insert into supplier_callback (supplier_id, url, enabled, signing_secret, updated_at)"
                        + " values (?, 'https://example.com/hook', true, 'whsec_plain', now())",
                plain);
        update(
                "insert into supplier_callback (supplier_id, url, enabled, signing_secret_sealed, updated_at)"
                        + " values (?, 'https://example.com/hook', true, ?, now())",
                old,
                new SecretBox(OLD_KEY).seal("whsec_old"));

        resealing.sealPlain().await().atMost(Duration.ofSeconds(30));
        secrets.reseal(sessions, SecretResealing.CALLBACKS).await().atMost(Duration.ofSeconds(30));

        Object[] p = row(plain);
        assertNull(p[0]);
        assertEquals("whsec_plain", secrets.box().open((byte[]) p[1]));
        assertTrue(secrets.box().isCurrent((byte[]) p[1]));
        byte[] o = (byte[]) row(old)[1];
        assertTrue(
                secrets.box().isCurrent(o),
                "sealed again under " + secrets.box().currentKeyId());
        assertEquals("whsec_old", secrets.box().open(o));
    }
}
