package org.fabtrail.witness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.fabtrail.ledger.checkpoint.Cosignatures;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteFormatException;
import org.fabtrail.ledger.checkpoint.NoteSignature;
import org.fabtrail.ledger.checkpoint.NoteVerifier;

/**
 * A log's side of c2sp.org/tlog-witness: submits a checkpoint with a consistency proof to one witness and checks
 * its answer. The cosignature in a 200 answer is accepted only when it is from the configured witness key and
 * verifies on the submitted checkpoint; lines from other keys are ignored, as the spec says.
 *
 * <p>Thread-safe. A call takes at most the configured timeout, the witness's answer included (a witness that sends
 * its headers and then trickles its body, or never ends it, is cut off), and reads at most 64 KiB of an answer.
 */
public final class WitnessClient {

    /** The outcome of one submission. */
    public sealed interface Result permits Cosigned, Conflict, Refused, Failed {
    }

    /**
     * 200: the witness cosigned.
     *
     * @param cosignature the verified cosignature line's content
     * @param timestamp   its timestamp (POSIX seconds)
     */
    public record Cosigned(NoteSignature cosignature, long timestamp) implements Result {
    }

    /**
     * 409: the witness holds a checkpoint of another size than the old size sent (resubmit with a proof from it), or
     * of this size with another root (a fork).
     *
     * @param witnessSize the size of the latest checkpoint the witness cosigned for the log
     */
    public record Conflict(long witnessSize) implements Result {
    }

    /**
     * Any other answer: 400 (malformed), 403 (not signed by a key the witness knows for the log), 404 (the witness
     * does not witness this log), 422 (the consistency proof does not verify from what the witness holds), ...
     *
     * @param status  the HTTP status
     * @param message the witness's message (its first line, at most 300 characters)
     */
    public record Refused(int status, String message) implements Result {
    }

    /**
     * No usable answer: the witness could not be reached, timed out, or answered something this client cannot use.
     *
     * @param why what happened
     */
    public record Failed(String why) implements Result {
    }

    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final URI endpoint;
    private final NoteVerifier witness;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param submissionPrefix the witness's submission prefix; {@code /add-checkpoint} is appended
     * @param witness          the witness's cosignature key (type 0x04)
     * @param timeout          how long a submission may take
     * @param http             the HTTP client to use (shared; keep-alive)
     */
    public WitnessClient(URI submissionPrefix, NoteVerifier witness, Duration timeout, HttpClient http) {
        Objects.requireNonNull(submissionPrefix, "submissionPrefix");
        if (!witness.isCosigner()) {
            throw new IllegalArgumentException("witness key " + witness.vkey() + " is not a cosignature/v1 key");
        }
        String base = submissionPrefix.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/add-checkpoint");
        this.witness = witness;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = Objects.requireNonNull(http, "http");
    }

    /** @return the witness's key */
    public NoteVerifier witness() {
        return witness;
    }

    /** @return where submissions go */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Submits a checkpoint.
     *
     * @param oldSize          the size of the latest checkpoint the witness is believed to hold (0 if none)
     * @param proof            the consistency proof from {@code oldSize} to the checkpoint's size (empty from 0)
     * @param signedCheckpoint the log's signed checkpoint note
     * @return what the witness answered
     */
    public Result submit(long oldSize, List<byte[]> proof, byte[] signedCheckpoint) {
        byte[] body = new AddCheckpoint(oldSize, proof, signedCheckpoint).encode();
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = BoundedBody.send(http, request, MAX_ANSWER_BYTES, timeout);
        } catch (HttpTimeoutException e) {
            return new Failed("no complete answer within " + timeout.toMillis() + " ms");
        } catch (BoundedBody.TooLarge e) {
            return new Failed(e.getMessage());
        } catch (IOException e) {
            return new Failed("cannot reach " + endpoint + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("interrupted");
        }
        return answer(response.statusCode(), response.body(), signedCheckpoint, witness);
    }

    /**
     * Reads a witness's answer to a submission: what a hostile witness controls (and what AnswerFuzzTest fuzzes).
     *
     * @param status           the HTTP status
     * @param body             the answer's body
     * @param signedCheckpoint the checkpoint submitted
     * @param witness          the witness's key: only a cosignature by it that verifies is taken
     * @return the result; never throws
     */
    static Result answer(int status, byte[] body, byte[] signedCheckpoint, NoteVerifier witness) {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (status) {
            case 200 -> cosigned(text, signedCheckpoint, witness);
            case 409 -> conflict(text);
            default -> new Refused(status, firstLine(text));
        };
    }

    private static Result cosigned(String answer, byte[] signedCheckpoint, NoteVerifier witness) {
        String noteText;
        try {
            noteText = Note.parse(signedCheckpoint).text();
        } catch (NoteFormatException e) {
            return new Failed("the submitted checkpoint is malformed: " + e.getMessage());
        }
        if (answer.isEmpty() || !answer.endsWith("\n")) {
            return new Failed("the 200 answer is not a list of signature lines");
        }
        Note lines;
        try {
            // The answer's lines, parsed as the signatures of a note with the same text (as the spec suggests).
            lines = Note.parse((noteText + "\n" + answer).getBytes(StandardCharsets.UTF_8));
        } catch (NoteFormatException e) {
            return new Failed("the 200 answer is not a list of signature lines: " + e.getMessage());
        }
        byte[] textBytes = noteText.getBytes(StandardCharsets.UTF_8);
        for (NoteSignature s : lines.signatures()) {
            if (s.name().equals(witness.name()) && s.keyHash() == witness.keyHash()) {
                if (!witness.verify(textBytes, s.signature())) {
                    return new Failed("the cosignature from " + witness.name() + " does not verify");
                }
                return new Cosigned(s, Cosignatures.timestampOf(s));
            }
        }
        return new Failed("the answer holds no cosignature from " + witness.vkey());
    }

    private static Result conflict(String body) {
        String s = body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
        try {
            return new Conflict(AddCheckpoint.size(s));
        } catch (AddCheckpoint.Malformed e) {
            return new Failed("409 without a tree size in its body");
        }
    }

    /**
     * The first line of a witness's message, for a log line: at most 300 characters, and control characters (a
     * carriage return, an escape sequence, a NUL) shown as {@code ?}, so a witness cannot forge or garble the log.
     */
    static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        if (line.length() > 300) {
            line = line.substring(0, 300) + "...";
        }
        StringBuilder sb = new StringBuilder(line.length());
        line.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
