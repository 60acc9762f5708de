package org.fabtrail.witness;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reports misbehaviour: an ERROR line on the log stream, and, when configured, a JSON POST to a webhook
 * ({@code {"event":"split-view","origin":...,"witness":...,"heldSize":n,"submittedSize":m,"evidence":...,
 * "time":...,"suppressed":n}}), sent in the background once, with a 10-second timeout; a failed delivery is logged.
 *
 * <p>One report per log and kind a minute at most: anyone holding two of a log's public checkpoints can send a witness
 * requests with bad proofs, each an {@code inconsistent} case, and must not be able to flood the operator's log and
 * webhook. The cases in between are counted (the metrics count each) and named in the next report as
 * {@code suppressed}; the evidence of each is kept all the same.
 */
public final class WitnessAlarms implements Witness.Observer {

    private final String witness;
    private final Optional<URI> webhook;
    private final PrintStream log;
    private final HttpClient http;
    /** Per "origin kind": when it was last reported (nanoTime) and how many were not reported since. */
    private final Map<String, long[]> reported = new HashMap<>();

    /** The least time between two reports of one kind for one log. */
    static final long REPORT_INTERVAL_NANOS = 60_000_000_000L;

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
        long suppressed;
        synchronized (reported) {
            long now = System.nanoTime();
            long[] r = reported.get(m.origin() + " " + m.kind()); // origins are configured logs: a few keys at most
            if (r != null && now - r[0] < REPORT_INTERVAL_NANOS) {
                r[1]++;
                return;
            }
            suppressed = r == null ? 0 : r[1];
            reported.put(m.origin() + " " + m.kind(), new long[] {now, 0});
        }
        String what = m.kind().equals("split-view")
                ? "SPLIT VIEW: the log signed two different checkpoints of tree size " + m.heldSize()
                : "INCONSISTENT: a checkpoint of tree size " + m.submittedSize() + " came with a consistency proof "
                + "that does not verify from the checkpoint of tree size " + m.heldSize() + " this witness cosigned "
                + "(a fork of the log, or a client sending a bad proof)";
        log.println(Instant.now() + " ERROR [witness] log " + m.origin() + ": " + what + "; evidence " + m.evidence()
                + (suppressed > 0 ? "; " + suppressed + " more of this kind since the last report were counted, not "
                + "reported (their evidence is kept)" : ""));
        webhook.ifPresent(url -> send(url, m, suppressed));
    }

    private void send(URI url, Witness.Misbehaviour m, long suppressed) {
        String json = "{\"event\":" + json(m.kind()) + ",\"origin\":" + json(m.origin()) + ",\"witness\":"
                + json(witness) + ",\"heldSize\":" + m.heldSize() + ",\"submittedSize\":" + m.submittedSize()
                + ",\"evidence\":" + json(m.evidence()) + ",\"time\":" + json(Instant.now().toString())
                + ",\"suppressed\":" + suppressed + "}";
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
