package org.fabtrail.server;

import org.fabtrail.crypto.KeyFormatException;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** Loads the operator's Ed25519 signing key, or generates one where that is allowed (dev, test, demo). */
public final class OperatorKeys {

    private static final Logger LOG = Logger.getLogger(OperatorKeys.class);
    static final String GENERATED_FILE = "operator-key.pem";

    private OperatorKeys() {
    }

    /**
     * @param configured {@code FABTRAIL_OPERATOR_KEY}: a path to a PKCS#8 PEM file or the PEM text
     * @param mayGenerate whether a key may be created in {@code dataDir} when none is configured
     */
    public static SigningKey load(Optional<String> configured, boolean mayGenerate, Path dataDir) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            String value = configured.get().trim();
            String pem;
            String source;
            if (value.startsWith("-----BEGIN")) {
                pem = value;
                source = "FABTRAIL_OPERATOR_KEY";
            } else {
                try {
                    pem = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot read the operator key file " + value + ": " + e.getMessage());
                }
                source = value;
            }
            return parse(pem, source);
        }
        Path file = dataDir.resolve(GENERATED_FILE);
        if (Files.exists(file)) {
            if (!mayGenerate) {
                throw new IllegalStateException("FABTRAIL_OPERATOR_KEY is not set. Found " + file
                        + " from a demo run; set FABTRAIL_OPERATOR_KEY=" + file + " to use it in production");
            }
            try {
                return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage());
            }
        }
        if (!mayGenerate) {
            throw new IllegalStateException("FABTRAIL_OPERATOR_KEY is not set. Point it at the operator's Ed25519 "
                    + "private key in PKCS#8 PEM form, e.g. made with: openssl genpkey -algorithm ed25519 -out operator.pem");
        }
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        try {
            Files.createDirectories(dataDir);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key.toPkcs8Pem(), StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            return load(configured, mayGenerate, dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the generated operator key to " + file + ": " + e.getMessage());
        }
        LOG.infof("Generated a new operator key %s in %s (demo/dev only)", key.keyId(), file);
        return key;
    }

    private static SigningKey parse(String pem, String source) {
        SigningKey key;
        try {
            key = SigningKey.fromPkcs8Pem(pem);
        } catch (KeyFormatException e) {
            throw new IllegalStateException("The operator key from " + source + " is not a PKCS#8 PEM private key: "
                    + e.getMessage());
        }
        if (key.algorithm() != SignatureAlgorithm.ED25519) {
            throw new IllegalStateException("The operator key from " + source + " is " + key.algorithm().wireName()
                    + "; checkpoints are signed with Ed25519, so the operator key must be Ed25519");
        }
        return key;
    }
}
