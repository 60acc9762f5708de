package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.fabtrail.ledger.InclusionProof;

import java.util.HexFormat;
import java.util.List;

/** {@code {"leafIndex": i, "treeSize": n, "hashes": ["<hex>", ...]}} */
@JsonPropertyOrder({"leafIndex", "treeSize", "hashes"})
public record InclusionProofView(long leafIndex, long treeSize, List<String> hashes) {

    public static InclusionProofView from(InclusionProof p) {
        return new InclusionProofView(p.leafIndex(), p.treeSize(), p.hashes().stream().map(HexFormat.of()::formatHex).toList());
    }
}
