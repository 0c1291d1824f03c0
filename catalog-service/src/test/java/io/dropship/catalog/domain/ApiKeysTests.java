package io.dropship.catalog.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiKeysTests {

    @Test
    void aGeneratedKeyParsesBackAndMatchesOnlyItsOwnHash() {
        ApiKeys.NewKey key = ApiKeys.generate();
        ApiKeys.Presented presented = ApiKeys.parse(key.token()).orElseThrow();

        assertEquals(key.keyId(), presented.keyId());
        assertTrue(ApiKeys.matches(presented.secret(), key.secretHash()));
        assertFalse(ApiKeys.matches(ApiKeys.generate().secret(), key.secretHash()));
    }

    @Test
    void twoKeysNeverShareIdOrSecret() {
        ApiKeys.NewKey a = ApiKeys.generate();
        ApiKeys.NewKey b = ApiKeys.generate();
        assertNotEquals(a.keyId(), b.keyId());
        assertNotEquals(a.secret(), b.secret());
    }

    @Test
    void somethingNotShapedLikeAKeyIsNotParsed() {
        assertTrue(ApiKeys.parse(null).isEmpty());
        assertTrue(ApiKeys.parse("").isEmpty());
        assertTrue(ApiKeys.parse("Bearer abc").isEmpty());
        assertTrue(ApiKeys.parse("dsk_short.secret").isEmpty());
    }
}
