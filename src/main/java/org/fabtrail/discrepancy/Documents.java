package org.fabtrail.discrepancy;

import org.fabtrail.ledger.SafeText;

import javax.sql.DataSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Documents offered as evidence on a finding (customs papers, photos, RMA forms). The bytes are kept off the log;
 * the {@code discrepancy.note} that attaches a document records its name, SHA-256 and size, so anyone holding the
 * document can prove it is the one that was shown. The caller checks who may see or add to the finding.
 */
public final class Documents {

    public static final long MAX_BYTES = 10L * 1024 * 1024;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** What a stored document is: as a note's {@code documents} item, plus its media type. */
    public record Stored(String name, String sha256, long size, String mediaType) {
    }

    /** A stored document with its bytes. */
    public record Content(Stored document, byte[] bytes) {
    }

    private final DataSource dataSource;
    private final Clock clock;

    public Documents(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * A file name people can read, without paths, quotes or any character the ledger refuses in text (a note
     * quotes it), at most 200 characters (never half of a surrogate pair); "document" when nothing is left.
     */
    public static String cleanName(String name) {
        String n = name == null ? "" : name.replace('\\', '/');
        n = SafeText.withoutFaults(n.substring(n.lastIndexOf('/') + 1)).replace("\"", "").strip();
        if (n.isEmpty()) {
            return "document";
        }
        return n.length() <= 200 ? n : n.substring(0, Character.isHighSurrogate(n.charAt(199)) ? 199 : 200);
    }

    /** The media type as stored and answered: as given when it is at most 100 printable ASCII characters. */
    static String cleanType(String mediaType) {
        boolean usable = mediaType != null && !mediaType.isBlank() && mediaType.length() <= 100
                && mediaType.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
        return usable ? mediaType.strip() : "application/octet-stream";
    }

    /** Stores the bytes for the finding (again: harmless) and answers what a note must quote. */
    public Stored store(UUID discrepancy, String name, String mediaType, byte[] bytes, String uploadedBy)
            throws SQLException {
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("a document has 1 byte to " + MAX_BYTES / (1024 * 1024) + " MiB; this one has "
                    + bytes.length + " bytes");
        }
        String clean = cleanName(name);
        String type = cleanType(mediaType);
        String hash = sha256(bytes);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_documents (discrepancy_id, sha256, name, "
                     + "media_type, size, content, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                     + "ON CONFLICT (discrepancy_id, sha256) DO NOTHING")) {
            ps.setObject(1, discrepancy);
            ps.setString(2, hash);
            ps.setString(3, clean);
            ps.setString(4, type);
            ps.setLong(5, bytes.length);
            ps.setBytes(6, bytes);
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.setString(8, uploadedBy);
            ps.executeUpdate();
        }
        return new Stored(clean, hash, bytes.length, type);
    }

    public Optional<Content> get(UUID discrepancy, String sha256) throws SQLException {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, size, media_type, content FROM discrepancy_documents "
                     + "WHERE discrepancy_id = ? AND sha256 = ?")) {
            ps.setObject(1, discrepancy);
            ps.setString(2, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Content(new Stored(rs.getString(1), sha256, rs.getLong(2), rs.getString(3)),
                        rs.getBytes(4)));
            }
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
