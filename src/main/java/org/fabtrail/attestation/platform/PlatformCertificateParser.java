package org.fabtrail.attestation.platform;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AttCertIssuer;
import org.bouncycastle.asn1.x509.AttCertValidityPeriod;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.AttributeCertificate;
import org.bouncycastle.asn1.x509.AttributeCertificateInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.Holder;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.asn1.x509.V2Form;
import org.bouncycastle.cert.X509AttributeCertificateHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.fabtrail.attestation.platform.Component.Address;
import org.fabtrail.attestation.platform.Component.ChangeStatus;
import org.fabtrail.attestation.platform.Component.ComponentClass;
import org.fabtrail.attestation.platform.PlatformCertificate.ConfigurationFormat;
import org.fabtrail.attestation.platform.PlatformCertificate.PlatformIdentity;
import org.fabtrail.attestation.platform.PlatformCertificate.PlatformSpecification;
import org.fabtrail.attestation.platform.PlatformCertificate.Property;
import org.fabtrail.attestation.platform.PlatformCertificate.SpecificationVersion;
import org.fabtrail.crypto.Pem;

/**
 * The parser behind {@link PlatformCertificate#parse(byte[])}: Bouncy Castle's
 * {@link X509AttributeCertificateHolder} for the RFC 5755 envelope, hand-written ASN.1 walking for
 * the TCG attributes. Every structure is checked element by element; anything unexpected throws
 * {@link PlatformCertificateException}.
 */
final class PlatformCertificateParser {

    static final String PEM_LABEL = "ATTRIBUTE CERTIFICATE";

    /** {@code STRMAX} of the TCG profiles: the maximum length of a UTF8String, in characters. */
    static final int STRMAX = 256;

    // Attribute certificate attributes
    static final String AT_TCG_PLATFORM_SPECIFICATION = "2.23.133.2.17";
    static final String AT_TCG_CREDENTIAL_SPECIFICATION = "2.23.133.2.23";
    static final String AT_TCG_CREDENTIAL_TYPE = "2.23.133.2.25";

    // subjectAltName directoryName attributes
    static final String AT_PLATFORM_MANUFACTURER_STR = "2.23.133.5.1.1";
    static final String AT_PLATFORM_MANUFACTURER_ID = "2.23.133.5.1.2";
    static final String AT_PLATFORM_MODEL = "2.23.133.5.1.4";
    static final String AT_PLATFORM_VERSION = "2.23.133.5.1.5";
    static final String AT_PLATFORM_SERIAL = "2.23.133.5.1.6";

    // Trait ids (tcg-tr-ID, 2.23.133.19.1) and categories (tcg-tr-category, 2.23.133.19.2)
    static final String TR_ID_BOOLEAN = "2.23.133.19.1.1";
    static final String TR_ID_COMPONENT_CLASS = "2.23.133.19.1.4";
    static final String TR_ID_COMPONENT_IDENTIFIER_V11 = "2.23.133.19.1.5";
    static final String TR_ID_UTF8_STRING = "2.23.133.19.1.18";
    static final String TR_CAT_COMPONENT_CLASS = "2.23.133.19.2.7";
    static final String TR_CAT_COMPONENT_MANUFACTURER = "2.23.133.19.2.8";
    static final String TR_CAT_COMPONENT_MODEL = "2.23.133.19.2.9";
    static final String TR_CAT_COMPONENT_SERIAL = "2.23.133.19.2.10";
    static final String TR_CAT_COMPONENT_REVISION = "2.23.133.19.2.13";
    static final String TR_CAT_COMPONENT_FIELD_REPLACEABLE = "2.23.133.19.2.14";
    static final String TR_CAT_COMPONENT_IDENTIFIER_V11 = "2.23.133.19.2.26";

    private static final Set<String> IDENTITY_CATEGORIES = Set.of(TR_CAT_COMPONENT_CLASS, TR_CAT_COMPONENT_MANUFACTURER,
            TR_CAT_COMPONENT_MODEL, TR_CAT_COMPONENT_SERIAL, TR_CAT_COMPONENT_REVISION,
            TR_CAT_COMPONENT_FIELD_REPLACEABLE);

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private PlatformCertificateParser() {
    }

    static PlatformCertificate parse(byte[] derOrPem) {
        if (derOrPem == null) {
            throw new PlatformCertificateException("no certificate: the input is null");
        }
        byte[] der = unwrapPem(derOrPem);
        try {
            return parseDer(der);
        } catch (PlatformCertificateException e) {
            throw e;
        } catch (IOException | ParseException | RuntimeException e) {
            // Bouncy Castle reports malformed input with IOException, IllegalArgumentException,
            // IllegalStateException, ClassCastException, ArithmeticException...: all mean the same here.
            throw new PlatformCertificateException("malformed attribute certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] unwrapPem(byte[] input) {
        int i = 0;
        while (i < input.length && (input[i] == ' ' || input[i] == '\t' || input[i] == '\r' || input[i] == '\n')) {
            i++;
        }
        if (i == input.length) {
            throw new PlatformCertificateException("no certificate: the input is empty");
        }
        if (input[i] != '-') {
            return input.clone();
        }
        try {
            return Pem.decode(new String(input, StandardCharsets.US_ASCII), PEM_LABEL);
        } catch (IllegalArgumentException e) {
            throw new PlatformCertificateException("not a PEM attribute certificate: " + e.getMessage(), e);
        }
    }

    private static PlatformCertificate parseDer(byte[] der) throws IOException, ParseException {
        X509AttributeCertificateHolder holder = new X509AttributeCertificateHolder(der);
        AttributeCertificate ac = holder.toASN1Structure();
        if (!Arrays.equals(ac.getEncoded(ASN1Encoding.DER), der)) {
            throw new PlatformCertificateException(
                    "not DER: the attribute certificate does not re-encode to the same bytes (BER, non-minimal lengths or unsorted sets)");
        }
        AttributeCertificateInfo info = ac.getAcinfo();
        if (!info.getVersion().hasValue(1)) {
            throw new PlatformCertificateException(
                    "not a version 2 attribute certificate (version field " + info.getVersion().getValue() + ")");
        }
        if (!info.getSignature().equals(ac.getSignatureAlgorithm())) {
            throw new PlatformCertificateException(
                    "the signature algorithm inside the signed part differs from the one outside it");
        }

        PlatformCertificate.Holder certHolder = holder(info.getHolder());
        String issuer = rfc4514(issuerName(info.getIssuer()));

        BigInteger serial = info.getSerialNumber().getValue();
        if (serial.signum() <= 0) {
            throw new PlatformCertificateException("the serial number is not positive: " + serial);
        }

        AttCertValidityPeriod validity = info.getAttrCertValidityPeriod();
        Instant notBefore = generalizedTime(validity.getNotBeforeTime(), "notBeforeTime");
        Instant notAfter = generalizedTime(validity.getNotAfterTime(), "notAfterTime");
        if (notAfter.isBefore(notBefore)) {
            throw new PlatformCertificateException("the validity period ends (" + notAfter + ") before it begins ("
                    + notBefore + ")");
        }

        Attributes attributes = attributes(info.getAttributes());

        Extensions extensions = info.getExtensions();
        if (extensions == null) {
            throw new PlatformCertificateException(
                    "no extensions: a Platform Certificate carries its platform identity in the subjectAltName extension");
        }
        List<String> critical = Arrays.stream(extensions.getCriticalExtensionOIDs()).map(ASN1ObjectIdentifier::getId)
                .toList();
        PlatformIdentity platform = platformIdentity(extensions.getExtension(Extension.subjectAlternativeName));

        return new PlatformCertificate(der, serial, issuer, certHolder, notBefore, notAfter,
                ac.getSignatureAlgorithm().getAlgorithm().getId(), platform, attributes.credentialType,
                attributes.credentialSpecification, attributes.platformSpecification, attributes.configurationFormat,
                attributes.components, attributes.properties, attributes.types, critical);
    }

    static boolean isHeldBy(PlatformCertificate certificate, byte[] certificateDer) {
        X509CertificateHolder candidate;
        try {
            candidate = new X509CertificateHolder(certificateDer);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DER X.509 certificate: " + e.getMessage(), e);
        }
        IssuerSerial base;
        try {
            base = new X509AttributeCertificateHolder(certificate.der()).toASN1Structure().getAcinfo().getHolder()
                    .getBaseCertificateID();
        } catch (IOException e) {
            throw new IllegalStateException("the certificate's own encoding no longer parses", e);
        }
        X500Name holderIssuer = singleDirectoryName(base.getIssuer(), "holder baseCertificateID issuer");
        return holderIssuer.equals(candidate.getIssuer()) && base.getSerial().getValue().equals(candidate.getSerialNumber());
    }

    // ---------------------------------------------------------------- envelope

    private static PlatformCertificate.Holder holder(Holder holder) {
        IssuerSerial base = holder.getBaseCertificateID();
        if (base == null || holder.getEntityName() != null || holder.getObjectDigestInfo() != null) {
            throw new PlatformCertificateException(
                    "the holder must be exactly a baseCertificateID (the issuer and serial of the platform's EK certificate)");
        }
        X500Name issuer = singleDirectoryName(base.getIssuer(), "holder baseCertificateID issuer");
        return new PlatformCertificate.Holder(rfc4514(issuer), base.getSerial().getValue());
    }

    private static X500Name issuerName(AttCertIssuer issuer) {
        ASN1Encodable form = issuer.getIssuer();
        if (!(form instanceof V2Form v2)) {
            throw new PlatformCertificateException("the issuer uses v1Form; RFC 5755 requires v2Form");
        }
        if (v2.getBaseCertificateID() != null || v2.getObjectDigestInfo() != null) {
            throw new PlatformCertificateException(
                    "the issuer's v2Form carries baseCertificateID or objectDigestInfo, which RFC 5755 forbids");
        }
        return singleDirectoryName(v2.getIssuerName(), "issuer");
    }

    private static X500Name singleDirectoryName(GeneralNames names, String what) {
        if (names == null) {
            throw new PlatformCertificateException("the " + what + " has no name");
        }
        GeneralName[] all = names.getNames();
        if (all.length != 1 || all[0].getTagNo() != GeneralName.directoryName) {
            throw new PlatformCertificateException("the " + what + " must be exactly one directoryName");
        }
        return X500Name.getInstance(all[0].getName());
    }

    private static String rfc4514(X500Name name) {
        try {
            return new X500Principal(name.getEncoded(ASN1Encoding.DER)).getName();
        } catch (IOException e) {
            throw new PlatformCertificateException("a distinguished name does not encode: " + e.getMessage(), e);
        }
    }

    private static Instant generalizedTime(ASN1GeneralizedTime time, String what) throws ParseException {
        String text = time.getTimeString();
        if (!text.matches("[0-9]{14}Z")) {
            throw new PlatformCertificateException(
                    what + " is not of the form YYYYMMDDHHMMSSZ that RFC 5755 requires: " + text);
        }
        return time.getDate().toInstant();
    }

    // ---------------------------------------------------------------- attributes

    private static final class Attributes {
        final List<String> types = new ArrayList<>();
        Optional<String> credentialType = Optional.empty();
        Optional<SpecificationVersion> credentialSpecification = Optional.empty();
        Optional<PlatformSpecification> platformSpecification = Optional.empty();
        Optional<ConfigurationFormat> configurationFormat = Optional.empty();
        List<Component> components = List.of();
        List<Property> properties = List.of();
    }

    private static Attributes attributes(ASN1Sequence sequence) {
        Attributes result = new Attributes();
        Set<String> seen = new LinkedHashSet<>();
        for (ASN1Encodable element : sequence) {
            Attribute attribute = Attribute.getInstance(element);
            String type = attribute.getAttrType().getId();
            if (!seen.add(type)) {
                throw new PlatformCertificateException("attribute " + type + " appears twice");
            }
            result.types.add(type);
            ConfigurationFormat format = configurationFormat(type);
            if (format != null) {
                if (result.configurationFormat.isPresent()) {
                    throw new PlatformCertificateException("more than one tcg-at-platformConfiguration attribute ("
                            + result.configurationFormat.get().oid() + " and " + type + ")");
                }
                ASN1Sequence configuration = sequence(singleValue(attribute), "tcg-at-platformConfiguration");
                result.configurationFormat = Optional.of(format);
                switch (format) {
                    case V1 -> platformConfigurationV1(configuration, result);
                    case V2 -> platformConfigurationV2(configuration, result);
                    case V3 -> platformConfigurationV3(configuration, result);
                    default -> throw new IllegalStateException(format.name());
                }
                continue;
            }
            switch (type) {
                case AT_TCG_CREDENTIAL_TYPE -> {
                    ASN1Sequence s = sequence(singleValue(attribute), "tcg-at-tcgCredentialType");
                    requireSize(s, 1, 1, "tcg-at-tcgCredentialType");
                    result.credentialType = Optional.of(oid(s.getObjectAt(0), "tcg-at-tcgCredentialType certificateType"));
                }
                case AT_TCG_CREDENTIAL_SPECIFICATION -> result.credentialSpecification = Optional.of(
                        specificationVersion(singleValue(attribute), "tcg-at-tcgCredentialSpecification"));
                case AT_TCG_PLATFORM_SPECIFICATION -> {
                    ASN1Sequence s = sequence(singleValue(attribute), "tcg-at-tcgPlatformSpecification");
                    requireSize(s, 2, 2, "tcg-at-tcgPlatformSpecification");
                    SpecificationVersion version = specificationVersion(s.getObjectAt(0),
                            "tcg-at-tcgPlatformSpecification version");
                    String platformClass = fourByteHex(s.getObjectAt(1), "tcg-at-tcgPlatformSpecification platformClass");
                    result.platformSpecification = Optional.of(new PlatformSpecification(version, platformClass));
                }
                default -> {
                    // listed in attributeTypes, not interpreted (tbbSecurityAssertions, platformConfigUri, ...)
                }
            }
        }
        return result;
    }

    private static ConfigurationFormat configurationFormat(String type) {
        for (ConfigurationFormat format : ConfigurationFormat.values()) {
            if (format.oid().equals(type)) {
                return format;
            }
        }
        return null;
    }

    private static ASN1Encodable singleValue(Attribute attribute) {
        ASN1Set values = attribute.getAttrValues();
        if (values.size() != 1) {
            throw new PlatformCertificateException(
                    "attribute " + attribute.getAttrType().getId() + " has " + values.size() + " values, expected one");
        }
        return values.getObjectAt(0);
    }

    private static SpecificationVersion specificationVersion(ASN1Encodable value, String what) {
        ASN1Sequence s = sequence(value, what);
        requireSize(s, 3, 3, what);
        return new SpecificationVersion(smallInt(s.getObjectAt(0), what + " majorVersion"),
                smallInt(s.getObjectAt(1), what + " minorVersion"), smallInt(s.getObjectAt(2), what + " revision"));
    }

    // ---------------------------------------------------------------- platform configuration

    /** {@code PlatformConfiguration ::= SEQUENCE { [0] components, [1] properties, [2] propertiesUri }}. */
    private static void platformConfigurationV1(ASN1Sequence configuration, Attributes result) {
        Map<Integer, ASN1TaggedObject> fields = contextFields(configuration, 0, 2, "platformConfiguration-v1");
        if (fields.containsKey(0)) {
            result.components = mapSequence(implicitSequence(fields.get(0), "componentIdentifiers", true),
                    (e, i) -> componentIdentifier(sequence(e, "componentIdentifier " + i), false, "component " + i));
        }
        if (fields.containsKey(1)) {
            result.properties = properties(implicitSequence(fields.get(1), "platformProperties", true), false);
        }
        if (fields.containsKey(2)) {
            implicitSequence(fields.get(2), "platformPropertiesUri", false);
        }
    }

    /**
     * {@code PlatformConfiguration-v2 ::= SEQUENCE { [0] componentIdentifiers, [1] componentIdentifiersUri,
     * [2] platformProperties, [3] platformPropertiesUri }}.
     */
    private static void platformConfigurationV2(ASN1Sequence configuration, Attributes result) {
        Map<Integer, ASN1TaggedObject> fields = contextFields(configuration, 0, 3, "platformConfiguration-v2");
        if (fields.containsKey(0)) {
            result.components = mapSequence(implicitSequence(fields.get(0), "componentIdentifiers", true),
                    (e, i) -> componentIdentifier(sequence(e, "componentIdentifier " + i), true, "component " + i));
        }
        if (fields.containsKey(1)) {
            implicitSequence(fields.get(1), "componentIdentifiersUri", false);
        }
        if (fields.containsKey(2)) {
            result.properties = properties(implicitSequence(fields.get(2), "platformProperties", true), true);
        }
        if (fields.containsKey(3)) {
            implicitSequence(fields.get(3), "platformPropertiesUri", false);
        }
    }

    /**
     * {@code PlatformConfiguration-v3 ::= SEQUENCE { platformComponents [0] IMPLICIT SEQUENCE OF
     * ComponentIdentifier OPTIONAL, platformProperties [1] IMPLICIT SEQUENCE OF Property OPTIONAL }} with
     * {@code ComponentIdentifier ::= SEQUENCE (SIZE(1..MAX)) OF Trait}.
     */
    private static void platformConfigurationV3(ASN1Sequence configuration, Attributes result) {
        Map<Integer, ASN1TaggedObject> fields = contextFields(configuration, 0, 1, "platformConfiguration-v3");
        if (fields.containsKey(0)) {
            result.components = mapSequence(implicitSequence(fields.get(0), "platformComponents", true),
                    (e, i) -> traitComponent(sequence(e, "component " + i), "component " + i));
        }
        if (fields.containsKey(1)) {
            result.properties = properties(implicitSequence(fields.get(1), "platformProperties", true), true);
        }
    }

    private static List<Property> properties(ASN1Sequence sequence, boolean withStatus) {
        return mapSequence(sequence, (e, i) -> {
            String what = "platform property " + i;
            ASN1Sequence s = sequence(e, what);
            requireSize(s, 2, withStatus ? 3 : 2, what);
            String name = utf8(s.getObjectAt(0), what + " name");
            String value = utf8(s.getObjectAt(1), what + " value");
            Map<Integer, ASN1TaggedObject> fields = contextFields(s, 2, 0, what);
            Optional<ChangeStatus> status = fields.containsKey(0)
                    ? Optional.of(changeStatus(fields.get(0), what + " status"))
                    : Optional.empty();
            return new Property(name, value, status);
        });
    }

    // ---------------------------------------------------------------- components

    /**
     * {@code ComponentIdentifier} (version 1, without class) or {@code ComponentIdentifierV2} (with class):
     * <pre>
     * SEQUENCE {
     *   componentClass ComponentClass,                               -- version 2 only
     *   componentManufacturer UTF8String, componentModel UTF8String,
     *   componentSerial [0] IMPLICIT UTF8String OPTIONAL, componentRevision [1] IMPLICIT UTF8String OPTIONAL,
     *   componentManufacturerId [2] IMPLICIT PrivateEnterpriseNumber OPTIONAL,
     *   fieldReplaceable [3] IMPLICIT BOOLEAN OPTIONAL,
     *   componentAddresses [4] IMPLICIT SEQUENCE(SIZE(1..MAX)) OF ComponentAddress OPTIONAL,
     *   componentPlatformCert [5] IMPLICIT CertificateIdentifier OPTIONAL,   -- version 2 only
     *   componentPlatformCertUri [6] IMPLICIT URIReference OPTIONAL,         -- version 2 only
     *   status [7] IMPLICIT AttributeStatus OPTIONAL }                       -- version 2 only
     * </pre>
     * The certificate identifier and URI of fields 5 and 6 are checked to be sequences and not kept.
     */
    private static Component componentIdentifier(ASN1Sequence s, boolean withClass, String what) {
        int first = withClass ? 1 : 0;
        if (s.size() < first + 2) {
            throw new PlatformCertificateException(what + ": too few elements (" + s.size() + ")");
        }
        Optional<ComponentClass> componentClass = withClass
                ? Optional.of(componentClass(s.getObjectAt(0), what + " componentClass"))
                : Optional.empty();
        String manufacturer = utf8(s.getObjectAt(first), what + " componentManufacturer");
        String model = utf8(s.getObjectAt(first + 1), what + " componentModel");
        Map<Integer, ASN1TaggedObject> fields = contextFields(s, first + 2, withClass ? 7 : 4, what);
        Optional<String> serial = Optional.empty();
        Optional<String> revision = Optional.empty();
        Optional<String> manufacturerId = Optional.empty();
        Optional<Boolean> fieldReplaceable = Optional.empty();
        List<Address> addresses = List.of();
        Optional<ChangeStatus> status = Optional.empty();
        for (Map.Entry<Integer, ASN1TaggedObject> field : fields.entrySet()) {
            ASN1TaggedObject t = field.getValue();
            switch (field.getKey()) {
                case 0 -> serial = Optional.of(implicitUtf8(t, what + " componentSerial"));
                case 1 -> revision = Optional.of(implicitUtf8(t, what + " componentRevision"));
                case 2 -> manufacturerId = Optional.of(implicitOid(t, what + " componentManufacturerId"));
                case 3 -> fieldReplaceable = Optional.of(implicitBoolean(t, what + " fieldReplaceable"));
                case 4 -> addresses = mapSequence(implicitSequence(t, what + " componentAddresses", true),
                        (e, i) -> address(e, what + " address " + i));
                case 5 -> implicitSequence(t, what + " componentPlatformCert", false);
                case 6 -> implicitSequence(t, what + " componentPlatformCertUri", false);
                case 7 -> status = Optional.of(changeStatus(t, what + " status"));
                default -> throw new IllegalStateException("tag " + field.getKey());
            }
        }
        return new Component(componentClass, manufacturer, model, serial, revision, manufacturerId, fieldReplaceable,
                addresses, status);
    }

    /** {@code ComponentClass ::= SEQUENCE { componentClassRegistry OBJECT IDENTIFIER, componentClassValue OCTET STRING (SIZE(4)) }}. */
    private static ComponentClass componentClass(ASN1Encodable value, String what) {
        ASN1Sequence s = sequence(value, what);
        requireSize(s, 2, 2, what);
        return new ComponentClass(oid(s.getObjectAt(0), what + " registry"),
                fourByteHex(s.getObjectAt(1), what + " value"));
    }

    private static Address address(ASN1Encodable value, String what) {
        ASN1Sequence s = sequence(value, what);
        requireSize(s, 2, 2, what);
        return new Address(oid(s.getObjectAt(0), what + " type"), utf8(s.getObjectAt(1), what + " value"));
    }

    /** A parsed {@code Trait ::= SEQUENCE { traitId, traitCategory, traitRegistry, [0] description, [1] descriptionURI, traitValue }}. */
    private record Trait(String id, String category, String registry, ASN1Encodable value) {
    }

    private static Trait trait(ASN1Encodable element, String what) {
        ASN1Sequence s = sequence(element, what);
        requireSize(s, 4, 6, what);
        String id = oid(s.getObjectAt(0), what + " traitId");
        String category = oid(s.getObjectAt(1), what + " traitCategory");
        String registry = oid(s.getObjectAt(2), what + " traitRegistry");
        ASN1Encodable value = s.getObjectAt(s.size() - 1);
        if (value instanceof ASN1TaggedObject) {
            throw new PlatformCertificateException(what + ": the trait has no traitValue");
        }
        // the optional description [0] and descriptionURI [1] between the registry and the value
        List<ASN1Encodable> middle = new ArrayList<>();
        for (int i = 3; i < s.size() - 1; i++) {
            middle.add(s.getObjectAt(i));
        }
        Map<Integer, ASN1TaggedObject> fields = contextFields(middle, 1, what);
        if (fields.containsKey(0)) {
            implicitUtf8(fields.get(0), what + " description");
        }
        if (fields.containsKey(1)) {
            implicitIa5(fields.get(1), what + " descriptionURI");
        }
        return new Trait(id, category, registry, value);
    }

    /**
     * The profile writes {@code traitValue OCTET STRING (CONTAINING ... ENCODED BY der)}; paccor writes
     * the value itself. None of the value types read here is an OCTET STRING, so an OCTET STRING is
     * the wrapped form and its contents are decoded (strictly).
     */
    private static ASN1Encodable traitValue(Trait trait, String what) throws IOException {
        ASN1Encodable value = trait.value();
        if (value instanceof ASN1OctetString wrapped) {
            return strictDer(wrapped.getOctets(), what + " traitValue");
        }
        return value;
    }

    private static Component traitComponent(ASN1Sequence traits, String what) {
        if (traits.size() == 0) {
            throw new PlatformCertificateException(what + ": the component has no traits");
        }
        List<Trait> list = mapSequence(traits, (e, i) -> trait(e, what + " trait " + i));
        List<Trait> v11 = list.stream().filter(t -> t.id().equals(TR_ID_COMPONENT_IDENTIFIER_V11)).toList();
        boolean identityTraits = list.stream().anyMatch(t -> IDENTITY_CATEGORIES.contains(t.category()));
        try {
            if (v11.size() > 1) {
                throw new PlatformCertificateException(what + ": more than one componentIdentifierV11 trait");
            }
            if (v11.size() == 1) {
                if (identityTraits) {
                    throw new PlatformCertificateException(what
                            + ": both a componentIdentifierV11 trait and separate class/manufacturer/model/serial traits");
                }
                Trait t = v11.get(0);
                if (!t.category().equals(TR_CAT_COMPONENT_IDENTIFIER_V11)) {
                    throw new PlatformCertificateException(
                            what + ": componentIdentifierV11 trait with category " + t.category());
                }
                return componentIdentifier(sequence(traitValue(t, what), what + " componentIdentifierV11"), true, what);
            }
            return componentFromTraits(list, what);
        } catch (IOException e) {
            throw new PlatformCertificateException(what + ": malformed trait value: " + e.getMessage(), e);
        }
    }

    /** A component described by separate traits, one per category; other categories are ignored. */
    private static Component componentFromTraits(List<Trait> traits, String what) throws IOException {
        Map<String, Trait> byCategory = new HashMap<>();
        for (Trait t : traits) {
            if (IDENTITY_CATEGORIES.contains(t.category()) && byCategory.put(t.category(), t) != null) {
                throw new PlatformCertificateException(what + ": more than one trait of category " + t.category());
            }
        }
        Optional<ComponentClass> componentClass = Optional.empty();
        Trait classTrait = byCategory.get(TR_CAT_COMPONENT_CLASS);
        if (classTrait != null) {
            requireTraitId(classTrait, TR_ID_COMPONENT_CLASS, what);
            componentClass = Optional.of(componentClass(traitValue(classTrait, what), what + " componentClass trait"));
        }
        Optional<String> manufacturer = utf8Trait(byCategory.get(TR_CAT_COMPONENT_MANUFACTURER), what + " manufacturer");
        Optional<String> model = utf8Trait(byCategory.get(TR_CAT_COMPONENT_MODEL), what + " model");
        if (manufacturer.isEmpty() || model.isEmpty()) {
            throw new PlatformCertificateException(what
                    + ": neither a componentIdentifierV11 trait nor both componentManufacturer and componentModel traits");
        }
        Optional<String> serial = utf8Trait(byCategory.get(TR_CAT_COMPONENT_SERIAL), what + " serial");
        Optional<String> revision = utf8Trait(byCategory.get(TR_CAT_COMPONENT_REVISION), what + " revision");
        Optional<Boolean> fieldReplaceable = Optional.empty();
        Trait replaceable = byCategory.get(TR_CAT_COMPONENT_FIELD_REPLACEABLE);
        if (replaceable != null) {
            requireTraitId(replaceable, TR_ID_BOOLEAN, what);
            fieldReplaceable = Optional.of(booleanValue(traitValue(replaceable, what), what + " fieldReplaceable"));
        }
        return new Component(componentClass, manufacturer.get(), model.get(), serial, revision, Optional.empty(),
                fieldReplaceable, List.of(), Optional.empty());
    }

    private static Optional<String> utf8Trait(Trait trait, String what) throws IOException {
        if (trait == null) {
            return Optional.empty();
        }
        requireTraitId(trait, TR_ID_UTF8_STRING, what);
        return Optional.of(utf8(traitValue(trait, what), what));
    }

    private static void requireTraitId(Trait trait, String expected, String what) {
        if (!trait.id().equals(expected)) {
            throw new PlatformCertificateException(what + ": trait of category " + trait.category() + " has traitId "
                    + trait.id() + ", expected " + expected);
        }
    }

    // ---------------------------------------------------------------- subjectAltName

    private static PlatformIdentity platformIdentity(Extension san) throws IOException {
        if (san == null) {
            throw new PlatformCertificateException(
                    "no subjectAltName extension: a Platform Certificate names its platform there");
        }
        GeneralNames names = GeneralNames.getInstance(
                strictDer(san.getExtnValue().getOctets(), "subjectAltName extension"));
        Map<String, ASN1Encodable> values = new HashMap<>();
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() != GeneralName.directoryName) {
                continue;
            }
            for (RDN rdn : X500Name.getInstance(name.getName()).getRDNs()) {
                for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                    String type = atv.getType().getId();
                    if (type.startsWith("2.23.133.5.1.") && values.put(type, atv.getValue()) != null) {
                        throw new PlatformCertificateException("subjectAltName: attribute " + type + " appears twice");
                    }
                }
            }
        }
        Optional<String> manufacturer = optionalUtf8(values.get(AT_PLATFORM_MANUFACTURER_STR), "platformManufacturerStr");
        Optional<String> model = optionalUtf8(values.get(AT_PLATFORM_MODEL), "platformModel");
        if (manufacturer.isEmpty() || model.isEmpty()) {
            throw new PlatformCertificateException(
                    "subjectAltName: the directoryName lacks platformManufacturerStr (2.23.133.5.1.1) or platformModel (2.23.133.5.1.4)");
        }
        Optional<String> manufacturerId = Optional.empty();
        ASN1Encodable id = values.get(AT_PLATFORM_MANUFACTURER_ID);
        if (id != null) {
            ASN1Sequence s = sequence(id, "platformManufacturerId");
            requireSize(s, 1, 1, "platformManufacturerId");
            manufacturerId = Optional.of(oid(s.getObjectAt(0), "platformManufacturerId"));
        }
        return new PlatformIdentity(manufacturer.get(), model.get(),
                optionalUtf8(values.get(AT_PLATFORM_VERSION), "platformVersion"),
                optionalUtf8(values.get(AT_PLATFORM_SERIAL), "platformSerial"), manufacturerId);
    }

    private static Optional<String> optionalUtf8(ASN1Encodable value, String what) {
        return value == null ? Optional.empty() : Optional.of(utf8(value, "subjectAltName " + what));
    }

    // ---------------------------------------------------------------- ASN.1 helpers

    @FunctionalInterface
    private interface ElementParser<T> {
        T parse(ASN1Encodable element, int index);
    }

    private static <T> List<T> mapSequence(ASN1Sequence sequence, ElementParser<T> parser) {
        List<T> out = new ArrayList<>(sequence.size());
        for (int i = 0; i < sequence.size(); i++) {
            out.add(parser.parse(sequence.getObjectAt(i), i));
        }
        return out;
    }

    /**
     * The elements of {@code s} from index {@code from} on: each must be context-specific with tag at most
     * {@code maxTag}, tags strictly increasing.
     */
    private static Map<Integer, ASN1TaggedObject> contextFields(ASN1Sequence s, int from, int maxTag, String what) {
        List<ASN1Encodable> rest = new ArrayList<>();
        for (int i = from; i < s.size(); i++) {
            rest.add(s.getObjectAt(i));
        }
        return contextFields(rest, maxTag, what);
    }

    private static Map<Integer, ASN1TaggedObject> contextFields(List<ASN1Encodable> elements, int maxTag, String what) {
        Map<Integer, ASN1TaggedObject> fields = new TreeMap<>();
        int previous = -1;
        for (ASN1Encodable element : elements) {
            if (!(element instanceof ASN1TaggedObject tagged) || tagged.getTagClass() != BERTags.CONTEXT_SPECIFIC) {
                throw new PlatformCertificateException(what + ": unexpected element " + describe(element));
            }
            int tag = tagged.getTagNo();
            if (tag > maxTag) {
                throw new PlatformCertificateException(what + ": unknown field [" + tag + "]");
            }
            if (tag <= previous) {
                throw new PlatformCertificateException(what + ": field [" + tag + "] repeated or out of order");
            }
            previous = tag;
            fields.put(tag, tagged);
        }
        return fields;
    }

    private static String describe(ASN1Encodable element) {
        if (element instanceof ASN1TaggedObject t) {
            return "tagged [" + t.getTagNo() + "] of class " + t.getTagClass();
        }
        return element.getClass().getSimpleName();
    }

    private static ASN1Sequence sequence(ASN1Encodable value, String what) {
        if (!(value instanceof ASN1Sequence s)) {
            throw new PlatformCertificateException(what + ": expected a SEQUENCE, found " + describe(value));
        }
        return s;
    }

    private static void requireSize(ASN1Sequence s, int min, int max, String what) {
        if (s.size() < min || s.size() > max) {
            throw new PlatformCertificateException(what + ": " + s.size() + " elements, expected "
                    + (min == max ? String.valueOf(min) : min + " to " + max));
        }
    }

    /** An IMPLICIT SEQUENCE field: the tagged object must be constructed. */
    private static ASN1Sequence implicitSequence(ASN1TaggedObject tagged, String what, boolean nonEmpty) {
        if (tagged.getBaseObject() instanceof ASN1OctetString) {
            throw new PlatformCertificateException(what + ": primitive where a SEQUENCE was expected");
        }
        ASN1Sequence s = ASN1Sequence.getInstance(tagged, false);
        if (nonEmpty && s.size() == 0) {
            throw new PlatformCertificateException(what + ": empty, the profile requires at least one element");
        }
        return s;
    }

    /** A primitive IMPLICIT field: Bouncy Castle keeps the contents of a primitive tagged object as an OCTET STRING. */
    private static void requirePrimitive(ASN1TaggedObject tagged, String what) {
        if (!(tagged.getBaseObject() instanceof ASN1OctetString)) {
            throw new PlatformCertificateException(what + ": constructed where a primitive value was expected");
        }
    }

    private static String implicitUtf8(ASN1TaggedObject tagged, String what) {
        requirePrimitive(tagged, what);
        return checkString(ASN1UTF8String.getInstance(tagged, false).getString(), what);
    }

    private static void implicitIa5(ASN1TaggedObject tagged, String what) {
        requirePrimitive(tagged, what);
        ASN1IA5String.getInstance(tagged, false);
    }

    private static String implicitOid(ASN1TaggedObject tagged, String what) {
        requirePrimitive(tagged, what);
        return ASN1ObjectIdentifier.getInstance(tagged, false).getId();
    }

    /**
     * The re-encoding check in {@link #parseDer} does not reach inside implicitly tagged primitives
     * (Bouncy Castle keeps their contents as raw octets), and Bouncy Castle reads any non-zero octet as
     * TRUE, so DER's rule (00 or FF) is checked here.
     */
    private static boolean implicitBoolean(ASN1TaggedObject tagged, String what) {
        requirePrimitive(tagged, what);
        byte[] contents = ((ASN1OctetString) tagged.getBaseObject()).getOctets();
        if (contents.length != 1 || (contents[0] != 0 && contents[0] != (byte) 0xFF)) {
            throw new PlatformCertificateException(what + ": not DER: a BOOLEAN must be one octet, 00 or FF");
        }
        return ASN1Boolean.getInstance(tagged, false).isTrue();
    }

    private static ChangeStatus changeStatus(ASN1TaggedObject tagged, String what) {
        requirePrimitive(tagged, what);
        int value = ASN1Enumerated.getInstance(tagged, false).intValueExact();
        if (value < 0 || value >= ChangeStatus.values().length) {
            throw new PlatformCertificateException(what + ": unknown AttributeStatus " + value);
        }
        return ChangeStatus.values()[value];
    }

    private static String utf8(ASN1Encodable value, String what) {
        if (!(value instanceof ASN1UTF8String s)) {
            throw new PlatformCertificateException(what + ": expected a UTF8String, found " + describe(value));
        }
        return checkString(s.getString(), what);
    }

    private static String checkString(String s, String what) {
        int length = s.codePointCount(0, s.length());
        if (length < 1 || length > STRMAX) {
            throw new PlatformCertificateException(
                    what + ": " + length + " characters, the profile allows 1 to " + STRMAX);
        }
        return s;
    }

    private static String oid(ASN1Encodable value, String what) {
        if (!(value instanceof ASN1ObjectIdentifier oid)) {
            throw new PlatformCertificateException(what + ": expected an OBJECT IDENTIFIER, found " + describe(value));
        }
        return oid.getId();
    }

    private static boolean booleanValue(ASN1Encodable value, String what) {
        if (!(value instanceof ASN1Boolean b)) {
            throw new PlatformCertificateException(what + ": expected a BOOLEAN, found " + describe(value));
        }
        return b.isTrue();
    }

    private static int smallInt(ASN1Encodable value, String what) {
        if (!(value instanceof ASN1Integer i)) {
            throw new PlatformCertificateException(what + ": expected an INTEGER, found " + describe(value));
        }
        if (i.getValue().signum() < 0 || i.getValue().bitLength() > 31) {
            throw new PlatformCertificateException(what + ": out of range: " + i.getValue());
        }
        return i.intValueExact();
    }

    private static String fourByteHex(ASN1Encodable value, String what) {
        if (!(value instanceof ASN1OctetString octets)) {
            throw new PlatformCertificateException(what + ": expected an OCTET STRING, found " + describe(value));
        }
        byte[] bytes = octets.getOctets();
        if (bytes.length != 4) {
            throw new PlatformCertificateException(what + ": " + bytes.length + " bytes, expected 4");
        }
        return HEX.formatHex(bytes);
    }

    /** Decodes one DER object that must fill {@code bytes} and re-encode to them. */
    private static ASN1Primitive strictDer(byte[] bytes, String what) throws IOException {
        ASN1Primitive primitive = ASN1Primitive.fromByteArray(bytes);
        if (!Arrays.equals(primitive.getEncoded(ASN1Encoding.DER), bytes)) {
            throw new PlatformCertificateException(what + ": not DER");
        }
        return primitive;
    }
}
