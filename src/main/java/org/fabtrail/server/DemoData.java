package org.fabtrail.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.Receipt;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Demo data for a first look (FABTRAIL_DEMO=true): organisations along a custody chain with their signing
 * keys. The demo organisations' private keys are written to {@code <data dir>/demo-keys/<org>.pem} (owner-only)
 * so the examples in docs/api.md can sign entries with them.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    /** A demo organisation: id, name, country, roles, and the algorithm of its signing key. */
    record DemoOrg(String id, String name, String country, List<String> roles, SignatureAlgorithm alg) {
    }

    static final List<DemoOrg> ORGS = List.of(
            new DemoOrg("acme-fab", "Acme Semiconductor Fab 12", "TW", List.of("manufacturer"), SignatureAlgorithm.ED25519),
            new DemoOrg("northwind", "Northwind Logistics B.V.", "NL", List.of("distributor", "integrator"),
                    SignatureAlgorithm.ES256));

    @Inject
    Ledger ledger;
    @Inject
    OperatorEntries operator;
    @Inject
    EnvelopeParser parser;
    @Inject
    DataSource dataSource;
    @Inject
    FabtrailConfig config;
    @Inject
    Clock clock;

    public void seedIfEmpty() throws Exception {
        if (orgCount() > 0) {
            return;
        }
        Path keyDir = Path.of(config.dataDir(), "demo-keys");
        for (DemoOrg org : ORGS) {
            append(operator.sign("org.register", Map.of("org", org.id(), "name", org.name(),
                    "country", org.country(), "roles", org.roles())));
            SigningKey key = SigningKey.generate(org.alg());
            writeKey(keyDir.resolve(org.id() + ".pem"), key);
            append(operator.sign("key.add", Map.of("org", org.id(), "publicKey", key.verificationKey().toPem())));
            if (org.id().equals("acme-fab")) {
                // The manufacturer rotates: it adds a second key itself, signing with its first.
                SigningKey next = SigningKey.generate(SignatureAlgorithm.ED25519);
                writeKey(keyDir.resolve(org.id() + "-2.pem"), next);
                append(OperatorEntries.signAs(key, org.id(), UUID.randomUUID(), "key.add",
                        Map.of("org", org.id(), "publicKey", next.verificationKey().toPem()), parser, clock));
            }
        }
        LOG.infof("Seeded demo organisations %s; their private keys are in %s",
                ORGS.stream().map(DemoOrg::id).toList(), keyDir.toAbsolutePath());
    }

    private Receipt append(Envelope e) throws Exception {
        CompletableFuture<Receipt> f = ledger.append(e);
        return f.get(60, TimeUnit.SECONDS);
    }

    private static void writeKey(Path file, SigningKey key) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key.toPkcs8Pem(), StandardCharsets.US_ASCII);
    }

    private long orgCount() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM orgs")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
