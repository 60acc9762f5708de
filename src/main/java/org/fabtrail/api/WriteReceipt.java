package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.ledger.Receipts;

import java.util.HexFormat;

/** The answer to a write (design: "Answer to a write"). */
@JsonPropertyOrder({"index", "leafHash", "integratedTime", "checkpoint", "inclusionProof"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriteReceipt(long index, String leafHash, String integratedTime, String checkpoint,
                           InclusionProofView inclusionProof, String keyId) {

    public static WriteReceipt from(Receipt r) {
        return new WriteReceipt(r.index(), HexFormat.of().formatHex(r.leafHash()), Receipts.formatTime(r.integratedTime()),
                r.checkpoint(), InclusionProofView.from(r.inclusionProof()), null);
    }

    public WriteReceipt withKeyId(String keyId) {
        return new WriteReceipt(index, leafHash, integratedTime, checkpoint, inclusionProof, keyId);
    }
}
