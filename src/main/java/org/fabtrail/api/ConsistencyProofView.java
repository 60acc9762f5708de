package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.fabtrail.ledger.ConsistencyProof;

import java.util.HexFormat;
import java.util.List;

/** {@code {"from": m, "to": n, "hashes": ["<hex>", ...]}} */
@JsonPropertyOrder({"from", "to", "hashes"})
public record ConsistencyProofView(long from, long to, List<String> hashes) {

    public static ConsistencyProofView from(ConsistencyProof p) {
        return new ConsistencyProofView(p.from(), p.to(), p.hashes().stream().map(HexFormat.of()::formatHex).toList());
    }
}
