package io.dropship.platform.web;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a call to a URL a tenant controls (a stock feed, a store's site, a callback) may reach: only the
 * public internet. Refused: this host, the private networks, link-local (cloud metadata at 169.254.169.254 among
 * them), carrier-grade NAT (100.64.0.0/10), IPv6 unique-local (fc00::/7), multicast, broadcast and the reserved and
 * documentation ranges; an IPv4 address embedded in IPv6 (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16)
 * is judged as the IPv4 address it carries.
 */
public final class Egress {

    private Egress() {}

    /** Why the address may not be reached from a tenant's URL, or null when it may. */
    public static String refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Inet4Address embedded = embeddedIpv4(b);
            if (embedded != null) {
                return refusal(embedded);
            }
            if (v6.isAnyLocalAddress() || v6.isLoopbackAddress()) {
                return "this host";
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "a unique-local IPv6 network (fc00::/7)";
            }
            if (v6.isLinkLocalAddress() || v6.isSiteLocalAddress()) {
                return "a link-local IPv6 network";
            }
            if (v6.isMulticastAddress()) {
                return "a multicast address";
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "the IPv6 documentation range (2001:db8::/32)";
            }
            return null;
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0 || address.isLoopbackAddress()) {
            return "this host";
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return "a private network";
        }
        if (a0 == 169 && a1 == 254) {
            return "a link-local network (where cloud metadata lives)";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "a carrier-grade NAT network (100.64.0.0/10)";
        }
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
            return "the IETF protocol range (192.0.0.0/24)";
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return "the benchmarking range (198.18.0.0/15)";
        }
        if (a0 >= 224) {
            return a0 < 240 ? "a multicast address" : "a reserved or broadcast address";
        }
        return null;
    }

    /** As {@link #refusal(String)} for a URL's host. */
    public static String refusal(java.net.URI uri) {
        return refusal(host(uri));
    }

    /** Every address the host resolves to must be allowed: answers why not, or null. */
    public static String refusal(String host) {
        try {
            checkedAddress(host);
            return null;
        } catch (Refused e) {
            return e.getMessage();
        }
    }

    /** A host the platform may not call, and why. */
    public static final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Resolves the URL's host once, checks every address it resolves to, and answers the one to connect to: the caller
     * connects to exactly this address (keeping the host name for TLS and the Host header), so a DNS answer that
     * changes between the check and the connection (rebinding) cannot slip a private address in. Blocking: call it
     * off the event loop, or use {@link #checkedAddressOffLoop}.
     */
    public static InetAddress checkedAddress(java.net.URI uri) {
        if (uri.getHost() == null) {
            throw new Refused("the URL names no host");
        }
        return checkedAddress(host(uri));
    }

    /**
     * {@link #checkedAddress(java.net.URI)} on a worker thread, answered back on the caller's Vert.x context, for the
     * clients that call tenants' URLs from the event loop.
     */
    public static io.smallrye.mutiny.Uni<InetAddress> checkedAddressOffLoop(java.net.URI uri) {
        return OffLoop.supply(() -> checkedAddress(uri));
    }

    private static InetAddress checkedAddress(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                String why = refusal(a);
                if (why != null) {
                    throw new Refused(a.getHostAddress() + " is " + why);
                }
            }
            return all[0];
        } catch (UnknownHostException e) {
            throw new Refused("the host " + host + " is not known");
        }
    }

    /** A URL's host, an IPv6 literal without its brackets. */
    private static String host(java.net.URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static Inet4Address embeddedIpv4(byte[] b) {
        boolean zeros10 = true;
        for (int i = 0; i < 10; i++) {
            zeros10 &= b[i] == 0;
        }
        boolean mapped = zeros10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible =
                zeros10 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0);
        boolean nat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && b[4] == 0
                && b[5] == 0
                && b[6] == 0
                && b[7] == 0
                && b[8] == 0
                && b[9] == 0
                && b[10] == 0
                && b[11] == 0;
        try {
            if (mapped || compatible || nat64) {
                return (Inet4Address) InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return (Inet4Address) InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]});
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }
}
