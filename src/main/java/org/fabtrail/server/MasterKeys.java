package org.fabtrail.server;

import io.quarkus.runtime.LaunchMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The keys that seal secrets at rest. The master key ({@code fabtrail.master-key}: 32 bytes in base64, or a file
 * holding them; unset, read from, or in dev, test and demo generated into, {@code <data dir>/master.key}) seals the
 * organisations' UI signing keys. Webhook secrets are sealed with {@code fabtrail.webhook-key} when set, else with
 * {@code <data dir>/webhook.key} when it exists, else with the master key when the instance has one (so webhooks
 * registered under it keep working), else with a {@code <data dir>/webhook.key} generated on first use in every
 * launch mode: webhooks work on any instance, and setting a master key later does not orphan their secrets.
 */
final class MasterKeys {

    static final String MASTER_FILE = "master.key";
    static final String WEBHOOK_FILE = "webhook.key";

    private MasterKeys() {
    }

    static Optional<byte[]> load(FabtrailConfig config) {
        boolean mayGenerate = config.generateOperatorKey() || config.demo() || LaunchMode.current() != LaunchMode.NORMAL;
        return load(config.masterKey(), Path.of(config.dataDir(), MASTER_FILE), mayGenerate);
    }

    /** The key that seals webhook secrets; always present (generated into the data directory if need be). */
    static byte[] webhookKey(FabtrailConfig config) {
        return webhookKey(config.webhookKey(), () -> load(config), Path.of(config.dataDir(), WEBHOOK_FILE));
    }

    static byte[] webhookKey(Optional<String> configured, Supplier<Optional<byte[]>> master,
                             Path file) {
        if (configured.filter(s -> !s.isBlank()).isPresent() || Files.exists(file)) {
            return load(configured, file, false).orElseThrow();
        }
        return master.get().or(() -> load(Optional.empty(), file, true)).orElseThrow();
    }

    /**
     * A 32-byte key: the configured value (base64, or the path of a file holding it), else the file, else — when
     * allowed — one generated into the file (owner-only).
     */
    static Optional<byte[]> load(Optional<String> configured, Path file, boolean mayGenerate) {
        Optional<String> value = configured.filter(s -> !s.isBlank());
        try {
            if (value.isPresent()) {
                String v = value.get().trim();
                Path p = Path.of(v);
                String text = Files.isRegularFile(p) ? Files.readString(p).trim() : v;
                return Optional.of(Base64.getDecoder().decode(text));
            }
            if (Files.exists(file)) {
                return Optional.of(Base64.getDecoder().decode(Files.readString(file).trim()));
            }
            if (!mayGenerate) {
                return Optional.empty();
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            return Optional.of(key);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("The key " + (value.isPresent() ? "configured" : "in " + file)
                    + " could not be read: " + e.getMessage());
        }
    }
}
