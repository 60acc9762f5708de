package org.fabtrail.custody;

/** The payload of {@code site.register}: a site of the actor; {@code latitude} and {@code longitude} may be null. */
public record SitePayload(String site, String name, String country, String address, Double latitude,
                          Double longitude) implements PayloadRecord {
}
