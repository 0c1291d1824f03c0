package io.dropship.inventory.feeds;

import io.dropship.platform.web.Egress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client for suppliers' stock feeds (URLs a supplier chooses). Every address is checked where it is used: the
 * client's DNS resolver refuses a host any of whose addresses is private, loopback, link-local, CGNAT, unique-local,
 * multicast or a cloud metadata address ({@link Egress}), and the connection goes to the addresses that resolver
 * answered, so a host whose DNS changes between a check and the connection (rebinding) reaches nothing inside the
 * platform's network. TLS still verifies the host name. Redirects are not followed, and nothing is retried.
 */
final class FeedHttp implements AutoCloseable {

    /** The feed's host resolves to an address the platform may not call. */
    static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }

    /** An open GET: its status, its body as it arrives, and {@link #abort()} to cut it off from another thread. */
    static final class Fetch implements AutoCloseable {
        private final HttpGet request;
        private final ClassicHttpResponse response;

        private Fetch(HttpGet request, ClassicHttpResponse response) {
            this.request = request;
            this.response = response;
        }

        int status() {
            return response.getCode();
        }

        InputStream body() throws IOException {
            return response.getEntity() == null
                    ? InputStream.nullInputStream()
                    : response.getEntity().getContent();
        }

        /** Closes the connection at once: a read in progress fails, and closing reads nothing more. */
        void abort() {
            request.cancel();
        }

        @Override
        public void close() throws IOException {
            response.close();
        }
    }

    private final CloseableHttpClient client;

    FeedHttp(DnsResolver dns, boolean blockPrivateAddresses, Duration timeout) {
        DnsResolver resolver = !blockPrivateAddresses
                ? dns
                : new DnsResolver() {
                    @Override
                    public InetAddress[] resolve(String host) throws UnknownHostException {
                        InetAddress[] all = dns.resolve(host);
                        for (InetAddress address : all) {
                            String why = Egress.refusal(address);
                            if (why != null) {
                                throw new Refused(address.getHostAddress() + " is " + why);
                            }
                        }
                        return all;
                    }

                    @Override
                    public String resolveCanonicalHostname(String host) throws UnknownHostException {
                        return dns.resolveCanonicalHostname(host);
                    }
                };
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(10))
                                .setSocketTimeout(Timeout.ofMilliseconds(timeout.toMillis()))
                                .build())
                        .setMaxConnTotal(32)
                        .setMaxConnPerRoute(2)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("dropship-inventory-feed")
                .build();
    }

    static FeedHttp system(boolean blockPrivateAddresses, Duration timeout) {
        return new FeedHttp(SystemDefaultDnsResolver.INSTANCE, blockPrivateAddresses, timeout);
    }

    /** Sends the GET and answers once the status line and headers are in; a refused address fails with {@link Refused}. */
    Fetch get(String url, String accept) throws IOException {
        HttpGet get = new HttpGet(URI.create(url));
        get.setHeader("Accept", accept);
        return new Fetch(get, client.executeOpen(null, get, null));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
