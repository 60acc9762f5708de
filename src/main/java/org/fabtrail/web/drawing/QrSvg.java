package org.fabtrail.web.drawing;

import io.nayuki.qrcodegen.QrCode;
import org.fabtrail.web.Web;

/**
 * Draws text as a QR code in SVG, on the server (no script): one path of unit squares, a quiet zone of four modules,
 * black on white, scaled by CSS. Error correction level M, byte or alphanumeric mode as the encoder chooses.
 */
public final class QrSvg {

    /** The quiet zone the QR specification asks for, in modules. */
    static final int BORDER = 4;

    private QrSvg() {
    }

    /**
     * @param text  what the code carries
     * @param label its accessible name (what a screen reader says instead of the picture)
     * @param id    the element id
     */
    public static String svg(String text, String label, String id) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + 2 * BORDER;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + Web.escape(id) + "\" class=\"qr\" viewBox=\"0 0 "
                + size + " " + size + "\" width=\"" + size * 6 + "\" height=\"" + size * 6
                + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"" + Web.escape(label) + "\" data-modules=\""
                + qr.size + "\"><title>" + Web.escape(label) + "</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000\"/></svg>";
    }
}
