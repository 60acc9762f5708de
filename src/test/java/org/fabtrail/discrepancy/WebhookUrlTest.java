package org.fabtrail.discrepancy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook URLs in production: https to public addresses only, so a partner cannot point the server at its own
 * network (loopback, private ranges, cloud metadata at 169.254.169.254, IPv6 unique-local). IP literals keep the
 * test free of DNS.
 */
class WebhookUrlTest {

    private final Webhooks production = new Webhooks(null, null, null, false);
    private final Webhooks development = new Webhooks(null, null, null, true);

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://172.16.0.9/hook",
            "https://192.168.1.1/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/hook",
            "https://[fd12:3456::1]/hook", "https://[fe80::1]/hook", "https://100.64.0.1/hook", "https://0.0.0.0/hook",
            "https://224.0.0.1/hook",
            // IPv6 addresses that carry an IPv4 one for a translator or tunnel: IPv4-compatible, NAT64, 6to4
            "https://[::127.0.0.1]/hook", "https://[::a9fe:a9fe]/hook", "https://[64:ff9b::a9fe:a9fe]/hook",
            "https://[64:ff9b:1::10.0.0.1]/hook",
            // local-use NAT64 (RFC 8215) in the RFC 6052 /48 layout: 169.254.169.254 split around byte 8, whatever the
            // last four bytes say
            "https://[64:ff9b:1:a9fe:a9:fe00:808:808]/hook", "https://[64:ff9b:1::808:808]/hook", "https://[2002:c0a8:101::1]/hook", "https://[2002:7f00:1::]/hook"})
    void nonPublicAddressesAreRefused(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> production.checkUrl(url));
        assertTrue(e.getMessage().contains("public addresses only"), e.getMessage());
        assertEquals(url, development.checkUrl(url).toString(), "allowed in development and tests");
    }

    @Test
    void plainHttpAndMalformedUrlsAreRefused() {
        assertEquals("the URL must start with https://",
                assertThrows(IllegalArgumentException.class, () -> production.checkUrl("http://93.184.216.34/h")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> production.checkUrl("ftp://93.184.216.34/h"));
        assertThrows(IllegalArgumentException.class, () -> production.checkUrl("https://user:pw@93.184.216.34/h"));
        assertThrows(IllegalArgumentException.class, () -> production.checkUrl("https:///nohost"));
        assertThrows(IllegalArgumentException.class, () -> production.checkUrl("https://93.184.216.34/h#frag"));
        assertThrows(IllegalArgumentException.class, () -> development.checkUrl("ftp://127.0.0.1/h"));
    }

    @Test
    void aPublicHttpsAddressIsAccepted() throws Exception {
        assertEquals("https://93.184.216.34/hooks/fabtrail", production.checkUrl("https://93.184.216.34/hooks/fabtrail")
                .toString());
        assertTrue(Webhooks.isPublic(java.net.InetAddress.getByName("8.8.8.8")));
        // the same translators and tunnels to a public IPv4 address are public
        assertTrue(Webhooks.isPublic(java.net.InetAddress.getByName("64:ff9b::808:808")));
        assertTrue(Webhooks.isPublic(java.net.InetAddress.getByName("2002:808:808::1")));
        assertTrue(Webhooks.isPublic(java.net.InetAddress.getByName("2606:4700::1111")));
    }
}
