package org.fabtrail.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: for requests no well-behaved client library sends (control
 * characters in the request line or a header, a malformed percent-escape, a path or header of any size, a body
 * that is declared but never sent). Each exchange uses its own connection ({@code Connection: close}); the answer
 * is read on a thread of its own while the request is written, so an answer the server gives before reading the
 * whole body (413) is seen even when the server then closes the connection.
 */
public final class RawHttp {

    /** An answer: status, headers (names in lower case) and body (chunked transfer decoded). */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + contentType() + " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    private final String host;
    private final int port;

    public RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The request {@code head} (request line and headers, without the blank line) with {@code body} after it. */
    public Answer exchange(String head, byte[] body) throws IOException, InterruptedException {
        return exchange(head.getBytes(StandardCharsets.ISO_8859_1), body, body == null ? 0 : 1);
    }

    /**
     * Sends the head, then the body {@code repeat} times (for bodies of many megabytes), and reads the answer.
     *
     * @param head the request line and headers, each ending in CRLF; a blank line and {@code Connection: close}
     *             are added
     */
    public Answer exchange(byte[] head, byte[] body, int repeat) throws IOException, InterruptedException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[16384];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (received) {
                            received.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the server closed (or reset) the connection: what arrived before is the answer
                }
            });
            reader.start();
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head);
                out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                for (int i = 0; body != null && i < repeat; i++) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // the server answered and closed before taking the whole request
            }
            reader.join(30_000);
            byte[] bytes;
            synchronized (received) {
                bytes = received.toByteArray();
            }
            return parse(bytes);
        }
    }

    /** A GET of {@code target} (sent as is) with extra header lines. */
    public Answer get(String target, String... headerLines) throws IOException, InterruptedException {
        StringBuilder head = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headerLines) {
            head.append(h).append("\r\n");
        }
        return exchange(head.toString(), null);
    }

    static Answer parse(byte[] bytes) {
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) {
            throw new IllegalStateException("no complete HTTP answer (" + bytes.length + " bytes): "
                    + new String(bytes, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = dechunk(rest);
        } else if (headers.containsKey("content-length")) {
            int n = Integer.parseInt(headers.get("content-length"));
            rest = java.util.Arrays.copyOf(rest, Math.min(n, rest.length));
        }
        return new Answer(status, headers, rest);
    }

    private static byte[] dechunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < data.length) {
            int eol = indexOf(data, new byte[] {'\r', '\n'}, pos);
            if (eol < 0) {
                break;
            }
            String size = new String(data, pos, eol - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(data, eol + 2, Math.min(n, data.length - eol - 2));
            pos = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
