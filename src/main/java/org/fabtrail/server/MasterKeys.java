package org.fabtrail.server;

import io.quarkus.runtime.LaunchMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The master key that seals secrets at rest ({@code fabtrail.master-key}: 32 bytes in base64, or a file holding
 * them); unset, it is read from, or in dev, test and demo generated into, {@code <data dir>/master.key}.
 */
final class MasterKeys {

    private MasterKeys() {
    }

    static Optional<byte[]> load(FabtrailConfig config) {
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
