package org.fabtrail.witness;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Reports misbehaviour: an ERROR line on the log stream, and, when configured, a JSON POST to a webhook
 * ({@code {"event":"split-view","origin":...,"witness":...,"heldSize":n,"submittedSize":m,"evidence":...,
 * "time":...}}), sent in the background once, with a 10-second timeout; a failed delivery is logged.
 */
public final class WitnessAlarms implements Witness.Observer {

    private final String witness;
    private final Optional<URI> webhook;
    private final PrintStream log;
    private final HttpClient http;

    /**
     * @param witness the witness's key name, named in each report
     * @param webhook where to POST each report, if anywhere
     * @param log     where to write log lines
     */
    public WitnessAlarms(String witness, Optional<URI> webhook, PrintStream log) {
        this.witness = witness;
        this.webhook = webhook;
        this.log = log;
        this.http = webhook.isEmpty() ? null : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public void misbehaviour(Witness.Misbehaviour m) {
        String what = m.kind().equals("split-view")
                ? "SPLIT VIEW: the log signed two different checkpoints of tree size " + m.heldSize()
                : "INCONSISTENT: a checkpoint of tree size " + m.submittedSize() + " came with a consistency proof "
                + "that does not verify from the checkpoint of tree size " + m.heldSize() + " this witness cosigned "
                + "(a fork of the log, or a client sending a bad proof)";
        log.println(Instant.now() + " ERROR [witness] log " + m.origin() + ": " + what + "; evidence " + m.evidence());
        webhook.ifPresent(url -> send(url, m));
    }

    private void send(URI url, Witness.Misbehaviour m) {
        String json = "{\"event\":" + json(m.kind()) + ",\"origin\":" + json(m.origin()) + ",\"witness\":"
                + json(witness) + ",\"heldSize\":" + m.heldSize() + ",\"submittedSize\":" + m.submittedSize()
                + ",\"evidence\":" + json(m.evidence()) + ",\"time\":" + json(Instant.now().toString()) + "}";
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            if (e != null) {
                log.println(Instant.now() + " WARN [witness] webhook " + url + " failed: " + e);
            } else if (r.statusCode() / 100 != 2) {
                log.println(Instant.now() + " WARN [witness] webhook " + url + " answered " + r.statusCode());
            }
        });
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
