package org.fabtrail.web.drawing;

import org.fabtrail.web.EntryLine;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.TemplateExtensions;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The custody chain of a unit as a server-rendered SVG: one box per holder (organisation and site, since when),
 * arrows between them, a dashed box for a shipment in transit. No scripts; text is XML-escaped.
 */
public final class CustodyChainSvg {

    /** One holder on the chain. */
    record Stop(String org, String site, Instant since, boolean inTransit) {
    }

    private CustodyChainSvg() {
    }

    /** The holders in order, from the unit's history lines (registration, receipts) and its pending transfer. */
    public static List<Stop> stops(List<EntryLine> history, String pendingTo, String pendingSite, Instant pendingSince) {
        List<Stop> out = new ArrayList<>();
        for (EntryLine e : history) {
            switch (e.type()) {
                case "unit.register" -> out.add(new Stop(e.actor(), siteOf(e.summary(), " at "), e.integratedTime(), false));
                case "transfer.receive" -> out.add(new Stop(e.actor(), siteOf(e.summary(), " at "), e.integratedTime(), false));
                default -> {
                }
            }
        }
        if (pendingTo != null) {
            out.add(new Stop(pendingTo, pendingSite, pendingSince, true));
        }
        return out;
    }

    private static String siteOf(String summary, String marker) {
        int i = summary.lastIndexOf(marker);
        if (i < 0) {
            return "";
        }
        String rest = summary.substring(i + marker.length());
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    public static String render(List<Stop> stops) {
        int box = 170;
        int gap = 40;
        int height = 86;
        int width = Math.max(1, stops.size()) * (box + gap) - gap + 20;
        FormMessages t = Texts.of(FormMessages.class);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"").append(Web.escape(t.chain_label()))
                .append("\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\">");
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#5b6470\"/></marker></defs>");
        for (int i = 0; i < stops.size(); i++) {
            Stop s = stops.get(i);
            int x = 10 + i * (box + gap);
            svg.append("<g class=\"stop\"><rect x=\"").append(x).append("\" y=\"10\" width=\"").append(box)
                    .append("\" height=\"66\" rx=\"6\" fill=\"").append(s.inTransit() ? "#fff4d6" : "#ffffff")
                    .append("\" stroke=\"").append(s.inTransit() ? "#8a5a00" : "#0b5fff").append("\"")
                    .append(s.inTransit() ? " stroke-dasharray=\"5 4\"" : "").append("/>");
            text(svg, x + 10, 32, 14, "600", s.org());
            text(svg, x + 10, 50, 12, "400", s.inTransit() ? t.chain_in_transit_to(s.site()) : s.site());
            text(svg, x + 10, 67, 11, "400", s.since() == null ? "" : TemplateExtensions.isoTime(s.since()).substring(0, 10));
            svg.append("</g>");
            if (i + 1 < stops.size()) {
                svg.append("<line x1=\"").append(x + box).append("\" y1=\"43\" x2=\"").append(x + box + gap - 2)
                        .append("\" y2=\"43\" stroke=\"#5b6470\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>");
            }
        }
        svg.append("</svg>");
        return svg.toString();
    }

    private static void text(StringBuilder svg, int x, int y, int size, String weight, String value) {
        svg.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" font-size=\"").append(size)
                .append("\" font-weight=\"").append(weight).append("\" font-family=\"system-ui, sans-serif\" fill=\"#1b1f24\">")
                .append(Web.escape(value.length() > 24 ? value.substring(0, 23) + "…" : value)).append("</text>");
    }
}
