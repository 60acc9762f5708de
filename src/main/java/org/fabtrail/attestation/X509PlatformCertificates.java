package org.fabtrail.attestation;

import org.fabtrail.attestation.platform.Component;
import org.fabtrail.attestation.platform.ComponentComparator;
import org.fabtrail.attestation.platform.ComponentComparison;
import org.fabtrail.attestation.platform.InstalledComponent;
import org.fabtrail.attestation.platform.PlatformCertificate;
import org.fabtrail.attestation.platform.PlatformCertificateException;
import org.fabtrail.attestation.platform.PlatformCertificateVerifier;
import org.fabtrail.attestation.platform.SignatureVerification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link PlatformCertificates} with {@code org.fabtrail.attestation.platform}: the strict parser, the signature
 * verifier (each registered CA a trust anchor) and the component comparator.
 */
public final class X509PlatformCertificates implements PlatformCertificates {

    @Override
    public Certificate parse(byte[] der) {
        PlatformCertificate pc = platform(der);
        List<CertifiedComponent> components = new ArrayList<>();
        for (Component c : pc.components()) {
            components.add(new CertifiedComponent(c.componentClass().map(Component.ComponentClass::toString).orElse(null),
                    c.manufacturer(), c.model(), c.serial().orElse(null), c.revision().orElse(null)));
        }
        return new Certificate(X509DeviceIdentity.sha256Hex(pc.der()), pc.serialNumber().toString(16), pc.issuer(),
                pc.holder().toString(), pc.platform().manufacturer(), pc.platform().model(),
                pc.platform().version().orElse(null), pc.platform().serial().orElse(null), pc.notBefore(),
                pc.notAfter(), pc.credentialType().filter(PlatformCertificate.DELTA_PLATFORM_CERTIFICATE::equals)
                .isPresent(), List.copyOf(components));
    }

    private static PlatformCertificate platform(byte[] der) {
        try {
            return PlatformCertificate.parse(der);
        } catch (PlatformCertificateException e) {
            throw new Refused(PlatformReasons.INVALID, "not a TCG Platform Certificate: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new Refused(PlatformReasons.INVALID, "not a TCG Platform Certificate: " + e);
        }
    }

    @Override
    public String verify(byte[] der, DeviceIdentity.Trust trust, Instant at) {
        PlatformCertificate pc = platform(der);
        List<String> activeIds = new ArrayList<>();
        List<byte[]> active = new ArrayList<>();
        List<byte[]> revoked = new ArrayList<>();
        for (Map.Entry<String, byte[]> ca : trust.cas().entrySet()) {
            if (trust.revokedCas().contains(ca.getKey())) {
                revoked.add(ca.getValue());
            } else {
                activeIds.add(ca.getKey());
                active.add(ca.getValue());
            }
        }
        SignatureVerification v = PlatformCertificateVerifier.verifySignature(pc, active, at);
        if (!v.outcome().signatureVerified() && !revoked.isEmpty()
                && PlatformCertificateVerifier.verifySignature(pc, revoked, at).outcome().signatureVerified()) {
            throw new Refused(PlatformReasons.CA_REVOKED, "the platform certificate is signed by a device CA the "
                    + "manufacturer revoked (" + pc.issuer() + ")");
        }
        String code = switch (v.outcome()) {
            case UNKNOWN_ISSUER -> PlatformReasons.UNKNOWN_ISSUER;
            case BAD_SIGNATURE -> PlatformReasons.SIGNATURE_INVALID;
            case UNSUPPORTED_CRITICAL_EXTENSION -> PlatformReasons.CRITICAL_EXTENSION;
            case NOT_YET_VALID -> PlatformReasons.NOT_YET_VALID;
            case EXPIRED -> PlatformReasons.EXPIRED;
            case ISSUER_NOT_VALID -> PlatformReasons.CA_NOT_VALID;
            case VERIFIED -> null;
        };
        if (code != null) {
            throw new Refused(code, v.reason());
        }
        return activeIds.get(v.issuerIndex().getAsInt());
    }

    @Override
    public List<Row> compare(List<CertifiedComponent> certified, List<Installed> installed) {
        List<Component> cs = new ArrayList<>(certified.size());
        for (CertifiedComponent c : certified) {
            cs.add(new Component(Optional.empty(), c.manufacturer(), c.model(), Optional.ofNullable(c.serial()),
                    Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty()));
        }
        List<InstalledComponent> is = new ArrayList<>(installed.size());
        for (int j = 0; j < installed.size(); j++) {
            Installed i = installed.get(j);
            is.add(new InstalledComponent(i.manufacturer(), i.serial(), i.model(), Integer.toString(j)));
        }
        ComponentComparison table = ComponentComparator.compare(cs, is, token -> token);
        List<Row> out = new ArrayList<>(table.rows().size());
        List<ComponentComparison.Row> rows = table.rows();
        for (int k = 0; k < rows.size(); k++) {
            ComponentComparison.Row r = rows.get(k);
            int ci = k < cs.size() ? k : -1; // certified rows come first, one per component, in order
            int ii = r.installed().map(x -> Integer.parseInt(x.reference())).orElse(-1);
            String status = switch (r.status()) {
                case PRESENT_IN_BOTH -> "present";
                case MISSING -> "missing";
                case UNEXPECTED -> "unexpected";
                case NOT_COMPARABLE -> "not-comparable";
            };
            out.add(new Row(status, ci, ii, r.modelDiffers()));
        }
        return List.copyOf(out);
    }
}
