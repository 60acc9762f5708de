package org.fabtrail.witness;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The witness's counters, served at {@code /metrics} in the Prometheus text format:
 * {@code fabtrail_witness_requests_total{status}} (add-checkpoint answers by status) and
 * {@code fabtrail_witness_misbehaviour_total{origin,kind}} (split views and failed consistency proofs seen).
 */
public final class WitnessMetrics implements Witness.Observer {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> misbehaviour = new ConcurrentHashMap<>();
    private final Witness.Observer next;

    /** @param next told about misbehaviour after it is counted (logging, webhook) */
    public WitnessMetrics(Witness.Observer next) {
        this.next = next;
    }

    @Override
    public void answered(int status) {
        requests.computeIfAbsent(Integer.toString(status), s -> new LongAdder()).increment();
        next.answered(status);
    }

    @Override
    public void misbehaviour(Witness.Misbehaviour m) {
        misbehaviour.computeIfAbsent("origin=\"" + escape(m.origin()) + "\",kind=\"" + m.kind() + "\"",
                s -> new LongAdder()).increment();
        next.misbehaviour(m);
    }

    /** @return how many misbehaviours of any kind were seen */
    public long misbehaviourCount() {
        return misbehaviour.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** @return the counters in the Prometheus text exposition format */
    public String prometheus() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP fabtrail_witness_requests_total add-checkpoint requests answered, by status\n");
        sb.append("# TYPE fabtrail_witness_requests_total counter\n");
        new TreeMap<>(requests).forEach((status, n) -> sb.append("fabtrail_witness_requests_total{status=\"")
                .append(status).append("\"} ").append(n.sum()).append('\n'));
        sb.append("# HELP fabtrail_witness_misbehaviour_total split views and failed consistency proofs seen, "
                + "evidence kept\n");
        sb.append("# TYPE fabtrail_witness_misbehaviour_total counter\n");
        new TreeMap<>(misbehaviour).forEach((labels, n) -> sb.append("fabtrail_witness_misbehaviour_total{")
                .append(labels).append("} ").append(n.sum()).append('\n'));
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
