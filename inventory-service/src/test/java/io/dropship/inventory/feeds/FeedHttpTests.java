package io.dropship.inventory.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stock-feed client decides on the address it actually connects to. A DNS that answers an internal address at
 * connect time (rebinding, after a check that saw a public one) reaches nothing: the local endpoint below stands for
 * the platform's network and counts every request that gets to it.
 */
class FeedHttpTests {

    private HttpServer inside;
    private final AtomicInteger reached = new AtomicInteger();
    private final AtomicInteger redirectedTo = new AtomicInteger();

    @BeforeEach
    void startAnEndpointInsideThePlatform() throws Exception {
        inside = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        inside.createContext("/feed.csv", exchange -> {
            reached.incrementAndGet();
            byte[] body = "sku,quantity\nMUG,4\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        inside.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", "/elsewhere");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        inside.createContext("/elsewhere", exchange -> {
            redirectedTo.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        inside.start();
    }

    @AfterEach
    void stop() {
        inside.stop(0);
    }

    /** A DNS answering this address for every host. */
    private static DnsResolver answering(String address) {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return new InetAddress[] {InetAddress.getByName(address)};
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
    }

    private String url(String path) {
        return "http://feed.supplier.example:" + inside.getAddress().getPort() + path;
    }

    @Test
    void aHostThatResolvesInsideThePlatformWhenConnectingIsRefusedAndNothingIsSent() throws Exception {
        try (FeedHttp http = new FeedHttp(answering("127.0.0.1"), true, Duration.ofSeconds(5))) {
            FeedHttp.Refused refused =
                    assertThrows(FeedHttp.Refused.class, () -> http.get(url("/feed.csv"), "text/csv"));
            assertTrue(refused.getMessage().startsWith("127.0.0.1 is "), refused.getMessage());
        }
        assertEquals(0, reached.get(), "no request reached the internal endpoint");
    }

    @Test
    void metadataUniqueLocalAndSharedAddressSpaceAreRefusedToo() throws Exception {
        for (String address :
                new String[] {"169.254.169.254", "fd00::1", "100.64.0.1", "10.0.0.5", "::ffff:127.0.0.1"}) {
            try (FeedHttp http = new FeedHttp(answering(address), true, Duration.ofSeconds(5))) {
                assertThrows(FeedHttp.Refused.class, () -> http.get(url("/feed.csv"), "text/csv"), address);
            }
        }
    }

    @Test
    void theConnectionGoesToTheAddressTheResolverAnsweredAndRedirectsAreNotFollowed() throws Exception {
        // Where private addresses are allowed (dev, the local fleet), the same client reaches the endpoint: the
        // address the resolver answered is the one connected to.
        try (FeedHttp http = new FeedHttp(answering("127.0.0.1"), false, Duration.ofSeconds(5))) {
            try (FeedHttp.Fetch fetch = http.get(url("/feed.csv"), "text/csv")) {
                assertEquals(200, fetch.status());
                assertEquals("sku,quantity\nMUG,4\n", new String(fetch.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            try (FeedHttp.Fetch fetch = http.get(url("/moved"), "text/csv")) {
                assertEquals(302, fetch.status());
            }
        }
        assertEquals(1, reached.get());
        assertEquals(0, redirectedTo.get(), "a redirect is an answer, not an instruction");
    }
}
