package org.fabtrail.attestation.platform;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed TCG Platform Certificate: an RFC 5755 X.509 attribute certificate, issued by a platform
 * manufacturer's CA to the platform's TPM endorsement key certificate (its holder), that lists the
 * platform's identity and its components with their serials.
 *
 * <p>Obtain one only from {@link #parse(byte[])}. Every field is derived from {@link #der()};
 * {@link PlatformCertificateVerifier} refuses a record whose fields do not match its encoding, so a
 * record built by hand cannot borrow a genuine certificate's signature.
 *
 * <p>Parsing does not check the signature or the validity period: see
 * {@link PlatformCertificateVerifier#verifySignature(PlatformCertificate, List, Instant)}.
 *
 * @param der                     the certificate, DER
 * @param serialNumber            the certificate's serial number
 * @param issuer                  the issuer's distinguished name (from {@code v2Form.issuerName}), RFC 4514
 *                                string as {@code javax.security.auth.x500.X500Principal#getName()} writes it
 * @param holder                  the holder: the issuer and serial of the platform's EK certificate
 * @param notBefore               start of the validity period
 * @param notAfter                end of the validity period (inclusive)
 * @param signatureAlgorithm      the signature algorithm OID, such as {@code 1.2.840.113549.1.1.11}
 * @param platform                the platform identity from the subjectAltName directoryName
 * @param credentialType          {@code tcg-at-tcgCredentialType} ({@code 2.23.133.2.25}): the certificate
 *                                type OID, {@link #PLATFORM_CERTIFICATE} or {@link #DELTA_PLATFORM_CERTIFICATE}
 * @param credentialSpecification {@code tcg-at-tcgCredentialSpecification} ({@code 2.23.133.2.23})
 * @param platformSpecification   {@code tcg-at-tcgPlatformSpecification} ({@code 2.23.133.2.17})
 * @param configurationFormat     which {@code tcg-at-platformConfiguration} attribute carried the
 *                                components, absent when there was none
 * @param components              the components, in certificate order (possibly empty)
 * @param properties              the platform properties, in certificate order (possibly empty)
 * @param attributeTypes          every attribute type OID present, in certificate order, including the
 *                                ones this class does not interpret (such as {@code tcg-at-tbbSecurityAssertions})
 * @param criticalExtensions      the OIDs of the extensions marked critical
 */
public record PlatformCertificate(
        byte[] der,
        BigInteger serialNumber,
        String issuer,
        Holder holder,
        Instant notBefore,
        Instant notAfter,
        String signatureAlgorithm,
        PlatformIdentity platform,
        Optional<String> credentialType,
        Optional<SpecificationVersion> credentialSpecification,
        Optional<PlatformSpecification> platformSpecification,
        Optional<ConfigurationFormat> configurationFormat,
        List<Component> components,
        List<Property> properties,
        List<String> attributeTypes,
        List<String> criticalExtensions) {

    /** {@code tcg-kp-PlatformAttributeCertificate}: the credential type of a base platform certificate. */
    public static final String PLATFORM_CERTIFICATE = "2.23.133.8.2";
    /**
     * {@code tcg-kp-DeltaPlatformAttributeCertificate}: a delta certificate lists changes (each
     * component carries a {@link Component.ChangeStatus}) against a base certificate, not a full inventory.
     */
    public static final String DELTA_PLATFORM_CERTIFICATE = "2.23.133.8.5";

    /** Copies the encoding and the lists and checks that nothing is null. */
    public PlatformCertificate {
        der = Objects.requireNonNull(der, "der").clone();
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(credentialType, "credentialType");
        Objects.requireNonNull(credentialSpecification, "credentialSpecification");
        Objects.requireNonNull(platformSpecification, "platformSpecification");
        Objects.requireNonNull(configurationFormat, "configurationFormat");
        components = List.copyOf(components);
        properties = List.copyOf(properties);
        attributeTypes = List.copyOf(attributeTypes);
        criticalExtensions = List.copyOf(criticalExtensions);
    }

    /**
     * Parses a Platform Certificate.
     *
     * <p>Accepts DER or one PEM block labelled {@code ATTRIBUTE CERTIFICATE} (RFC 7468). Strict: the
     * DER must be canonical (re-encoding gives the same bytes), the attribute certificate must be
     * version 2 with a {@code baseCertificateID} holder and a {@code v2Form} issuer naming exactly one
     * directory name, and every TCG attribute this class interprets must have the profile's structure
     * (strings of 1 to 256 characters, component class values of 4 bytes, context tags in order, no
     * stray elements). Attributes and extensions it does not interpret are listed, not rejected.
     *
     * <p>Components come from {@code tcg-at-platformConfiguration-v3} ({@code 2.23.133.5.1.7.3}), the
     * version 2 ({@code .7.2}) or the version 1 ({@code .7.1}) attribute; at most one may be present.
     * In version 3 each component is a sequence of traits: the {@code componentIdentifierV11} trait
     * (what paccor writes) or, without it, separate class, manufacturer, model, serial, revision and
     * field-replaceable traits. A trait value is accepted either directly or, as the profile's ASN.1
     * writes it, wrapped in an OCTET STRING.
     *
     * @param derOrPem the certificate, DER or PEM
     * @return the parsed certificate
     * @throws PlatformCertificateException if the input is not a well-formed Platform Certificate
     */
    public static PlatformCertificate parse(byte[] derOrPem) {
        return PlatformCertificateParser.parse(derOrPem);
    }

    /** @return a copy of the certificate's DER encoding */
    @Override
    public byte[] der() {
        return der.clone();
    }

    /**
     * Whether a certificate is this certificate's holder: its issuer name and serial number equal the
     * holder's {@code baseCertificateID}. Names are compared the way Bouncy Castle compares X.500
     * names (attribute by attribute, case- and space-insensitively for string values).
     *
     * @param certificateDer an X.509 certificate, DER (normally the platform's EK certificate)
     * @return whether it is the holder
     * @throws IllegalArgumentException if {@code certificateDer} is not an X.509 certificate
     */
    public boolean isHeldBy(byte[] certificateDer) {
        return PlatformCertificateParser.isHeldBy(this, certificateDer);
    }

    /** Equal when every field is equal, the encoding compared byte by byte. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PlatformCertificate other)) {
            return false;
        }
        return Arrays.equals(der, other.der)
                && serialNumber.equals(other.serialNumber)
                && issuer.equals(other.issuer)
                && holder.equals(other.holder)
                && notBefore.equals(other.notBefore)
                && notAfter.equals(other.notAfter)
                && signatureAlgorithm.equals(other.signatureAlgorithm)
                && platform.equals(other.platform)
                && credentialType.equals(other.credentialType)
                && credentialSpecification.equals(other.credentialSpecification)
                && platformSpecification.equals(other.platformSpecification)
                && configurationFormat.equals(other.configurationFormat)
                && components.equals(other.components)
                && properties.equals(other.properties)
                && attributeTypes.equals(other.attributeTypes)
                && criticalExtensions.equals(other.criticalExtensions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    /** @return issuer, serial, holder, platform and the number of components; never the encoding */
    @Override
    public String toString() {
        return "PlatformCertificate[issuer=" + issuer + ", serial=" + serialNumber.toString(16) + ", holder=" + holder
                + ", platform=" + platform + ", " + notBefore + " to " + notAfter + ", " + components.size()
                + " components]";
    }

    /**
     * The holder's {@code baseCertificateID}: which EK certificate the Platform Certificate is bound to.
     *
     * @param issuer       the EK certificate's issuer, RFC 4514 string as {@code X500Principal#getName()} writes it
     * @param serialNumber the EK certificate's serial number
     */
    public record Holder(String issuer, BigInteger serialNumber) {

        /** Checks that neither field is null. */
        public Holder {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(serialNumber, "serialNumber");
        }

        /** @return {@code issuer #serial-in-hex} */
        @Override
        public String toString() {
            return issuer + " #" + serialNumber.toString(16).toUpperCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The platform identity: the TCG attributes in the subjectAltName's directoryName. Manufacturer and
     * model are required by the profile; the others are optional.
     *
     * @param manufacturer   {@code platformManufacturerStr} ({@code 2.23.133.5.1.1})
     * @param model          {@code platformModel} ({@code 2.23.133.5.1.4})
     * @param version        {@code platformVersion} ({@code 2.23.133.5.1.5})
     * @param serial         {@code platformSerial} ({@code 2.23.133.5.1.6})
     * @param manufacturerId {@code platformManufacturerId} ({@code 2.23.133.5.1.2}), a private enterprise number OID
     */
    public record PlatformIdentity(String manufacturer, String model, Optional<String> version,
            Optional<String> serial, Optional<String> manufacturerId) {

        /** Checks that no field is null. */
        public PlatformIdentity {
            Objects.requireNonNull(manufacturer, "manufacturer");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(manufacturerId, "manufacturerId");
        }
    }

    /**
     * {@code TCGSpecificationVersion ::= SEQUENCE { majorVersion INTEGER, minorVersion INTEGER, revision INTEGER }}.
     *
     * @param major    major version
     * @param minor    minor version
     * @param revision revision
     */
    public record SpecificationVersion(int major, int minor, int revision) {

        /** @return {@code major.minor.revision} */
        @Override
        public String toString() {
            return major + "." + minor + "." + revision;
        }
    }

    /**
     * {@code TCGPlatformSpecification ::= SEQUENCE { version TCGSpecificationVersion, platformClass
     * OCTET STRING (SIZE(4)) }}.
     *
     * @param version       the platform specification version
     * @param platformClass the platform class, 8 upper-case hex digits ({@code 00000001} is the PC Client)
     */
    public record PlatformSpecification(SpecificationVersion version, String platformClass) {

        /** Checks that neither field is null. */
        public PlatformSpecification {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(platformClass, "platformClass");
        }
    }

    /**
     * A platform property ({@code Properties} / {@code Property}): a name and a value.
     *
     * @param name   {@code propertyName}
     * @param value  {@code propertyValue}
     * @param status {@code status} (delta certificates only), when present
     */
    public record Property(String name, String value, Optional<Component.ChangeStatus> status) {

        /** Checks that no field is null. */
        public Property {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(status, "status");
        }
    }

    /** Which {@code tcg-at-platformConfiguration} attribute carried the components. */
    public enum ConfigurationFormat {
        /** {@code tcg-at-platformConfiguration-v1}, Platform Certificate Profile 1.0: identifiers have no class. */
        V1("2.23.133.5.1.7.1"),
        /** {@code tcg-at-platformConfiguration-v2}, Platform Certificate Profile 1.1: {@code ComponentIdentifierV2}. */
        V2("2.23.133.5.1.7.2"),
        /** {@code tcg-at-platformConfiguration-v3}, Platform Certificate Profile 2.0: components as trait lists. */
        V3("2.23.133.5.1.7.3");

        private final String oid;

        ConfigurationFormat(String oid) {
            this.oid = oid;
        }

        /** @return the attribute type OID */
        public String oid() {
            return oid;
        }
    }
}
