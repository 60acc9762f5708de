package org.fabtrail.web.signing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SecretBox;
import org.fabtrail.crypto.Sealer;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.KeyAddition;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.web.Viewer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
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
    Sealer sealer;
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

    /** A signed entry of {@code type} carrying {@code payload} (the type's record), naming the viewer. */
    public Envelope sign(Viewer viewer, String type, PayloadRecord payload) {
        return sign(viewer, type, payload.payloadFields());
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
        SecretBox box = sealer.get();
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
            return SigningKey.fromPkcs8Pem(new String(box.open(stored.get(), context), StandardCharsets.US_ASCII));
        }
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        ledger.submitAndWait(operator.sign("key.add", new KeyAddition(org, key.verificationKey().toPem())));
        byte[] sealed = box.seal(key.toPkcs8Pem().getBytes(StandardCharsets.US_ASCII), context);
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
}
