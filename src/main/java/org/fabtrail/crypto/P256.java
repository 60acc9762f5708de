package org.fabtrail.crypto;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/** NIST P-256 domain parameters, using Bouncy Castle's fast custom curve implementation. */
final class P256 {

    static final ECDomainParameters CURVE;

    static {
        X9ECParameters x9 = CustomNamedCurves.getByName("secp256r1");
        CURVE = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    }

    private P256() {
    }
}
