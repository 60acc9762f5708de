package org.fabtrail.web;

import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * A CSV file posted with a form (bulk registration, the restricted-party list): its text, read as strict UTF-8 up to a
 * size limit, or the message for the form's file field that says why it was not read.
 *
 * @param text    the file's text; null when no file was chosen or it was refused
 * @param refusal why the file was not read (too large, not UTF-8, unreadable); null when it was read or not chosen
 */
public record CsvUpload(String text, String refusal) {

    /** The file posted as {@code file} (null or empty: none chosen); {@code tooLarge} refuses one over the limit. */
    public static CsvUpload read(FileUpload file, long maxBytes, String tooLarge) {
        if (file == null || file.size() <= 0) {
            return new CsvUpload(null, null);
        }
        if (file.size() > maxBytes) {
            return new CsvUpload(null, tooLarge);
        }
        try {
            return new CsvUpload(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file.uploadedFile()))).toString(), null);
        } catch (CharacterCodingException e) {
            return new CsvUpload(null, Texts.of(UploadMessages.class).upload_not_utf8());
        } catch (IOException e) {
            return new CsvUpload(null, Texts.of(UploadMessages.class).upload_unreadable());
        }
    }
}
