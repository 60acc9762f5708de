package org.fabtrail.web.drawing;

import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Web;

import java.util.List;

/**
 * The trend of findings as a server-rendered SVG: per day, a bar for the findings opened and one for those resolved.
 * Accessible: {@code role="img"} labelled by its title and described by a text summary (the page also carries the
 * same numbers as a table). No scripts, no inline styles (the content security policy allows none); text is escaped.
 */
public final class DiscrepancyTrendSvg {

    static final String OPENED = "#b3261e";
    static final String RESOLVED = "#1e7d32";

    private DiscrepancyTrendSvg() {
    }

    public static String render(List<DiscrepancyQueries.Day> days) {
        int left = 36;
        int top = 28;
        int plotH = 150;
        int slot = 22;
        int width = left + Math.max(1, days.size()) * slot + 12;
        int height = top + plotH + 34;
        long max = 1;
        long opened = 0;
        long resolved = 0;
        for (DiscrepancyQueries.Day d : days) {
            max = Math.max(max, Math.max(d.opened(), d.resolved()));
            opened += d.opened();
            resolved += d.resolved();
        }
        long step = niceStep(max);
        long top1 = ((max + step - 1) / step) * step;
        String first = days.isEmpty() ? "" : days.get(0).day().toString();
        String last = days.isEmpty() ? "" : days.get(days.size() - 1).day().toString();
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"trend-title trend-desc\" ")
                .append("viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" class=\"trend\">");
        FormMessages t = Texts.of(FormMessages.class);
        svg.append("<title id=\"trend-title\">").append(Web.escape(t.trend_title())).append("</title>");
        svg.append("<desc id=\"trend-desc\">").append(Web.escape(t.trend_desc(first, last, opened, resolved)))
                .append("</desc>");
        // legend
        svg.append("<rect x=\"").append(left).append("\" y=\"6\" width=\"10\" height=\"10\" fill=\"").append(OPENED).append("\"/>");
        text(svg, left + 14, 15, "start", t.trend_opened());
        svg.append("<rect x=\"").append(left + 70).append("\" y=\"6\" width=\"10\" height=\"10\" fill=\"").append(RESOLVED)
                .append("\"/>");
        text(svg, left + 84, 15, "start", t.trend_resolved());
        // grid and y axis
        for (long v = 0; v <= top1; v += step) {
            int y = top + plotH - (int) Math.round((double) v * plotH / top1);
            svg.append("<line x1=\"").append(left).append("\" y1=\"").append(y).append("\" x2=\"").append(width - 8)
                    .append("\" y2=\"").append(y).append("\" stroke=\"#d9dee4\" stroke-width=\"1\"/>");
            text(svg, left - 6, y + 4, "end", Long.toString(v));
        }
        for (int i = 0; i < days.size(); i++) {
            DiscrepancyQueries.Day d = days.get(i);
            int x = left + i * slot + 3;
            bar(svg, x, top, plotH, top1, d.opened(), OPENED, d.day() + ": " + d.opened() + " opened");
            bar(svg, x + 8, top, plotH, top1, d.resolved(), RESOLVED, d.day() + ": " + d.resolved() + " resolved");
            if ((days.size() - 1 - i) % 7 == 0) { // weekly, counted back from today
                text(svg, x + 8, top + plotH + 16, "middle", d.day().toString().substring(5));
            }
        }
        svg.append("<line x1=\"").append(left).append("\" y1=\"").append(top + plotH).append("\" x2=\"").append(width - 8)
                .append("\" y2=\"").append(top + plotH).append("\" stroke=\"#5b6470\" stroke-width=\"1\"/>");
        svg.append("</svg>");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, int x, int top, int plotH, long max, long value, String fill, String label) {
        if (value <= 0) {
            return;
        }
        int h = Math.max(2, (int) Math.round((double) value * plotH / max));
        svg.append("<rect x=\"").append(x).append("\" y=\"").append(top + plotH - h).append("\" width=\"7\" height=\"")
                .append(h).append("\" fill=\"").append(fill).append("\"><title>").append(Web.escape(label))
                .append("</title></rect>");
    }

    private static void text(StringBuilder svg, int x, int y, String anchor, String value) {
        svg.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" font-size=\"11\" text-anchor=\"")
                .append(anchor).append("\" font-family=\"system-ui, sans-serif\" fill=\"#5b6470\">")
                .append(Web.escape(value)).append("</text>");
    }

    /** A step of 1, 2 or 5 times a power of ten giving at most five grid lines. */
    static long niceStep(long max) {
        long step = 1;
        while (true) {
            for (long m : new long[]{1, 2, 5}) {
                if (max <= step * m * 5) {
                    return step * m;
                }
            }
            step *= 10;
        }
    }
}
