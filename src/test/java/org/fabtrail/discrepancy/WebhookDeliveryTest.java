package org.fabtrail.discrepancy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One delivery attempt, against a real receiver on loopback and a resolver the test controls: the URL is checked
 * again before sending, scheme included; the host is resolved once and the connection goes to exactly the address
 * that was checked (a name that answers differently the second time, DNS rebinding, gets nowhere), with the URL's
 * host as Host header and, for https, as the name the certificate must match.
 */
class WebhookDeliveryTest {

    private static final String SECRET = "ab".repeat(32);
    private final List<String[]> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    private int listen(HttpServer s) {
        server = s;
        s.createContext("/hook", ex -> {
            received.add(new String[]{ex.getRequestHeaders().getFirst("Host"),
                    ex.getRequestHeaders().getFirst("Fabtrail-Signature"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        s.start();
        return s.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Answers the first look-up with {@code first}, every later one with {@code then}; counts them. */
    private static Webhooks.Resolver rebinding(AtomicInteger lookups, String first, String then) {
        return host -> new InetAddress[]{InetAddress.getByName(lookups.getAndIncrement() == 0 ? first : then)};
    }

    @Test
    void theConnectionGoesToTheAddressThatWasCheckedWithTheOriginalHost() throws Exception {
        int port = listen(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        AtomicInteger lookups = new AtomicInteger();
        // the second answer is loopback too, but nothing listens there: a second look-up would fail the delivery
        Webhooks hooks = new Webhooks(null, null, null, true, rebinding(lookups, "127.0.0.1", "127.0.0.2"),
                () -> null);
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        Webhooks.Outcome o = hooks.send("http://hooks.example:" + port + "/hook?x=1", SECRET, 7, "{\"a\":1}", now);

        assertNull(o.error(), o.toString());
        assertEquals(204, o.status());
        assertEquals("127.0.0.1", o.address());
        assertEquals(1, lookups.get(), "resolved once, for the check; the connection used that answer");
        assertEquals(1, received.size());
        assertEquals("hooks.example:" + port, received.get(0)[0], "the URL's host, not the address");
        assertEquals("t=" + now.getEpochSecond() + ",v1=" + Webhooks.sign(SECRET, now.getEpochSecond(), "{\"a\":1}"),
                received.get(0)[1]);
        assertEquals("{\"a\":1}", received.get(0)[2]);
    }

    @Test
    void aNameThatNowResolvesToAPrivateAddressIsNotCalled() throws Exception {
        int port = listen(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        Webhooks production = new Webhooks(null, null, null, false, host -> new InetAddress[]{
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")}, () -> null);
        Webhooks.Outcome o = production.send("https://hooks.example:" + port + "/hook", SECRET, 1, "{}", Instant.now());
        assertTrue(o.error().contains("public addresses only"), o.error());
        assertNull(o.address(), "refused before connecting");
        assertNull(o.status());
        assertEquals(List.of(), received);
    }

    @Test
    void anHttpUrlIsNotUsedOncePrivateAddressesAreNoLongerAllowed() throws Exception {
        int port = listen(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        AtomicInteger lookups = new AtomicInteger();
        Webhooks.Resolver toPublic = host -> {
            lookups.incrementAndGet();
            return new InetAddress[]{InetAddress.getByName("93.184.216.34")};
        };
        String url = "http://hooks.example:" + port + "/hook";
        Webhooks production = new Webhooks(null, null, null, false, toPublic, () -> null);
        Webhooks.Outcome o = production.send(url, SECRET, 1, "{}", Instant.now());
        assertEquals("refused before sending: the URL must start with https://", o.error());
        assertNull(o.address());
        assertEquals(0, lookups.get(), "refused on the scheme, before any look-up or connection");
        assertEquals(List.of(), received);
    }

    @Test
    void httpsConnectsToTheCheckedAddressAndVerifiesTheCertificateAgainstTheUrlsHost() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate cert = certificate(pair, "hooks.example");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("hook", pair.getPrivate(), "pw".toCharArray(), new X509Certificate[]{cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        int port = listen(https);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("hook", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
        Supplier<SSLContext> tls = () -> clientTls;

        AtomicInteger lookups = new AtomicInteger();
        Webhooks hooks = new Webhooks(null, null, null, true, rebinding(lookups, "127.0.0.1", "127.0.0.2"), tls);
        Webhooks.Outcome ok = hooks.send("https://hooks.example:" + port + "/hook", SECRET, 1, "{}", Instant.now());
        assertNull(ok.error(), ok.toString());
        assertEquals(204, ok.status());
        assertEquals(1, received.size());

        // the same server under another name: its certificate does not match, nothing is sent
        Webhooks.Outcome wrongName = new Webhooks(null, null, null, true,
                host -> new InetAddress[]{InetAddress.getByName("127.0.0.1")}, tls)
                .send("https://other.example:" + port + "/hook", SECRET, 2, "{}", Instant.now());
        assertEquals("127.0.0.1", wrongName.address());
        assertNull(wrongName.status());
        assertTrue(wrongName.error().startsWith("SSL"), wrongName.error());
        assertEquals(1, received.size());
    }

    private static X509Certificate certificate(KeyPair pair, String dnsName) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + dnsName),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + dnsName), pair.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }
}
