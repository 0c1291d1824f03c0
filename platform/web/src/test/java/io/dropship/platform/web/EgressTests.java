package io.dropship.platform.web;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class EgressTests {

    private static String why(String literal) throws Exception {
        return Egress.refusal(InetAddress.getByName(literal));
    }

    @Test
    void addressesInsideAnyNetworkOfOursAreRefused() throws Exception {
        for (String inside : new String[] {
            "127.0.0.1",
            "127.9.9.9",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "192.0.0.8",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:a00:1::1",
            "::10.0.0.1"
        }) {
            assertNotNull(why(inside), inside + " must be refused");
        }
    }

    @Test
    void publicAddressesPass() throws Exception {
        for (String outside : new String[] {
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "203.0.114.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8"
        }) {
            assertNull(why(outside), outside + " must pass");
        }
    }

    @Test
    void theAddressToConnectToIsTheOneThatWasChecked() throws Exception {
        org.junit.jupiter.api.Assertions.assertEquals(
                InetAddress.getByName("93.184.216.34"),
                Egress.checkedAddress(java.net.URI.create("https://93.184.216.34:8443/hook")));
        for (String url : new String[] {
            "https://127.0.0.1/hook",
            "https://localhost/hook",
            "https://[fd00::1]/hook",
            "https://169.254.169.254/latest",
            "https://no-such-host.invalid/hook"
        }) {
            org.junit.jupiter.api.Assertions.assertThrows(
                    Egress.Refused.class, () -> Egress.checkedAddress(java.net.URI.create(url)), url);
        }
    }
}
