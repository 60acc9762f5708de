package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

/**
 * {@code site.register}: an organisation declares one of its sites. Fields: {@code site} (id, unique within the
 * organisation), {@code name}, {@code country} (ISO 3166-1 alpha-2), {@code address}, optional {@code latitude}
 * and {@code longitude}.
 */
final class SiteRegister extends AbstractEntryType<SitePayload> {

    static final String TYPE = "site.register";
    private static final Set<String> REQUIRED = Set.of("site", "name", "country", "address");
    private static final Set<String> OPTIONAL = Set.of("latitude", "longitude");

    SiteRegister() {
        super(TYPE, SitePayload.class, REQUIRED, OPTIONAL);
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("site", PayloadSchema.slug("the new site's id"))
                .field("name", PayloadSchema.string(200)).field("country", PayloadSchema.country())
                .field("address", PayloadSchema.string(500)).field("latitude", PayloadSchema.number())
                .field("longitude", PayloadSchema.number());
    }

    @Override
    protected SitePayload read(Envelope e, Payload p) {
        String country = p.string("country", 2);
        if (!OrgRegister.COUNTRIES.contains(country)) {
            throw Payload.invalid("invalid-country", "country", "payload.country must be an ISO 3166-1 alpha-2 code "
                    + "in upper case, not \"" + country + "\"");
        }
        Double lat = p.optionalNumber("latitude", -90, 90);
        Double lon = p.optionalNumber("longitude", -180, 180);
        if ((lat == null) != (lon == null)) {
            throw Payload.invalid("invalid-field", lat == null ? "latitude" : "longitude",
                    "give both latitude and longitude, or neither");
        }
        return new SitePayload(p.slug("site"), p.string("name", 200), country, p.string("address", 500), lat, lon);
    }

    @Override
    public void apply(Envelope e, SitePayload p, long index, Instant at, BatchContext ctx)
            throws SQLException {
        CustodyState.Site site = new CustodyState.Site(e.actor(), p.site(), p.name(), p.country(), p.address(),
                p.latitude(), p.longitude());
        Rules.requireOrg(ctx, e.actor());
        CustodyState s = CustodyState.of(ctx);
        if (s.site(site.org(), site.id()).isPresent()) {
            throw LedgerException.conflict("site-exists", "Site exists",
                    "\"" + site.org() + "\" already has a site \"" + site.id() + "\"");
        }
        s.addSite(site, index, at);
    }
}
