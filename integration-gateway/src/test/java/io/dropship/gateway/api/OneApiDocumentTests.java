package io.dropship.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.testkit.ApiDocuments;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one API document (contracts/openapi/dropship-api.json, served by the gateway at /api/openapi.json and the
 * source of the TypeScript client) is the merge of the six services' documents as they are checked in, and every
 * operation in it is owned by one service and reached through the gateway at that service.
 */
class OneApiDocumentTests {

    @Test
    void theOneApiIsTheMergeOfTheServicesDocumentsAndEveryPathHasOneOwner() {
        List<String> problems = new ArrayList<>();
        var merged = OneApiDocument.merge(OneApiDocument.serviceDocuments(), problems);
        assertEquals(List.of(), problems);
        ApiDocuments.checkOrWrite(ApiDocuments.folder().resolve("dropship-api.json"), merged);
    }
}
