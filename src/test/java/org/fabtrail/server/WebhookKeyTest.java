package org.fabtrail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook secrets have their own key, so webhooks work on an instance without a master key: generated once into the
 * data directory (owner-only) and read back after; a configured key wins; an instance with a master key keeps using
 * it (webhooks registered under it keep working) until a webhook key file exists.
 */
class WebhookKeyTest {

    @TempDir
    Path dir;

    @Test
    void withoutAnyKeyOneIsGeneratedOnceAndKept() throws Exception {
        Path file = dir.resolve(MasterKeys.WEBHOOK_FILE);
        byte[] first = MasterKeys.webhookKey(Optional.empty(), Optional::empty, file);
        assertEquals(32, first.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(first, MasterKeys.webhookKey(Optional.empty(), Optional::empty, file), "read back, not remade");
        // a master key set later does not orphan the secrets sealed under the generated key
        assertArrayEquals(first, MasterKeys.webhookKey(Optional.empty(), () -> Optional.of(new byte[32]), file));
    }

    @Test
    void theMasterKeyIsUsedWhenThereIsOneAndNoWebhookKeyFile() {
        Path file = dir.resolve(MasterKeys.WEBHOOK_FILE);
        byte[] master = new byte[32];
        master[0] = 7;
        assertArrayEquals(master, MasterKeys.webhookKey(Optional.empty(), () -> Optional.of(master), file));
        assertFalse(Files.exists(file));
    }

    @Test
    void aConfiguredKeyWinsAndABadOneIsAClearError() throws Exception {
        Path file = dir.resolve(MasterKeys.WEBHOOK_FILE);
        byte[] key = new byte[32];
        key[31] = 9;
        String b64 = Base64.getEncoder().encodeToString(key);
        assertArrayEquals(key, MasterKeys.webhookKey(Optional.of(b64), () -> Optional.of(new byte[32]), file));
        Path keyFile = Files.writeString(dir.resolve("configured.key"), b64 + "\n");
        assertArrayEquals(key, MasterKeys.webhookKey(Optional.of(keyFile.toString()), Optional::empty, file));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MasterKeys.webhookKey(Optional.of("not base64!"), Optional::empty, file));
        assertTrue(e.getMessage().contains("configured"), e.getMessage());
        assertFalse(e.getMessage().contains("not base64!"), "the key's text is never echoed");
    }
}
