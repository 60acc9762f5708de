package org.fabtrail.web;

import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SecretBox;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.server.FabtrailConfig;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the entries people make in the web UI. Each organisation has a UI signing key: registered in the log
 * (an operator-signed key.add, so partners can verify it like any key), its private part held here encrypted
 * under the instance's master key. Every UI entry names the person who acted in {@code payload.by}.
 */
@ApplicationScoped
public class UiSigning {

    private static final Logger LOG = Logger.getLogger(UiSigning.class);

    @Inject
    FabtrailConfig config;
    @Inject
    Ledger ledger;
    @Inject
    OperatorEntries operator;
    @Inject
    SigningKey operatorKey;
    @Inject
    EnvelopeParser parser;
    @Inject
    Clock clock;

    private final Map<String, SigningKey> keys = new ConcurrentHashMap<>();
    private volatile SecretBox box;

    /** Whether the UI can sign (a master key is configured, or may be generated here). */
    public boolean available() {
        return masterKey().isPresent();
    }

    /** A signed entry by the viewer's organisation (or the operator, for operator staff), naming the viewer. */
    public Envelope sign(Viewer viewer, String type, Map<String, Object> fields) {
        Map<String, Object> withBy = new LinkedHashMap<>(fields);
        withBy.put("by", viewer.username());
        if (viewer.org() == null) {
            return OperatorEntries.signAs(operatorKey, "operator", UUID.randomUUID(), type, withBy, parser, clock);
        }
        return OperatorEntries.signAs(keyOf(viewer.org()), viewer.org(), UUID.randomUUID(), type, withBy, parser, clock);
    }

    /** The key id of the organisation's UI signing key, if it has one yet (none is made here). */
    public Optional<String> keyId(String org) {
        SigningKey cached = keys.get(org);
        if (cached != null) {
            return Optional.of(cached.keyId());
        }
        return ledger.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id FROM ui_signing_keys WHERE org_id = ?")) {
                ps.setString(1, org);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    private SigningKey keyOf(String org) {
        return keys.computeIfAbsent(org, this::loadOrCreate);
    }

    private SigningKey loadOrCreate(String org) {
        SecretBox sealer = box();
        String context = "ui-key:" + org;
        Optional<byte[]> stored = ledger.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT encrypted_key FROM ui_signing_keys WHERE org_id = ?")) {
                ps.setString(1, org);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
        if (stored.isPresent()) {
            return SigningKey.fromPkcs8Pem(new String(sealer.open(stored.get(), context), StandardCharsets.US_ASCII));
        }
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        ledger.submitAndWait(operator.sign("key.add", Map.of("org", org, "publicKey", key.verificationKey().toPem())));
        byte[] sealed = sealer.seal(key.toPkcs8Pem().getBytes(StandardCharsets.US_ASCII), context);
        ledger.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ui_signing_keys (org_id, key_id, encrypted_key, "
                    + "created_at) VALUES (?, ?, ?, ?) ON CONFLICT (org_id) DO NOTHING")) {
                ps.setString(1, org);
                ps.setString(2, key.keyId());
                ps.setBytes(3, sealed);
                ps.setTimestamp(4, Timestamp.from(clock.instant()));
                return ps.executeUpdate();
            }
        });
        LOG.infof("Registered UI signing key %s for %s", key.keyId(), org);
        return key;
    }

    /** The master key's sealer (also for webhook secrets); refuses when the instance has no master key. */
    public SecretBox sealer() {
        return box();
    }

    private SecretBox box() {
        if (box == null) {
            byte[] key = masterKey().orElseThrow(() -> new LedgerException(LedgerException.Kind.UNAVAILABLE,
                    "ui-signing-unavailable", "UI signing not configured", "This instance has no master key "
                    + "(FABTRAIL_MASTER_KEY), so the web UI cannot sign entries; use the API with your own key"));
            box = new SecretBox(key);
        }
        return box;
    }

    private Optional<byte[]> masterKey() {
        Optional<String> configured = config.masterKey().filter(s -> !s.isBlank());
        try {
            if (configured.isPresent()) {
                String v = configured.get().trim();
                Path p = Path.of(v);
                String text = Files.isRegularFile(p) ? Files.readString(p).trim() : v;
                return Optional.of(Base64.getDecoder().decode(text));
            }
            boolean mayGenerate = config.generateOperatorKey() || config.demo() || LaunchMode.current() != LaunchMode.NORMAL;
            Path file = Path.of(config.dataDir(), "master.key");
            if (Files.exists(file)) {
                return Optional.of(Base64.getDecoder().decode(Files.readString(file).trim()));
            }
            if (!mayGenerate) {
                return Optional.empty();
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            return Optional.of(key);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("The master key could not be read: " + e.getMessage());
        }
    }
}
