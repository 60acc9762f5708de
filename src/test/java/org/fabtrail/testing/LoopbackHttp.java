package org.fabtrail.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over one socket whose local address the test chooses, so that a test can be several
 * clients: Linux routes all of 127.0.0.0/8 to the loopback interface, so a socket bound to 127.0.0.2 reaches the
 * server on 127.0.0.1 and the server sees 127.0.0.2 as the client's address. It can also misbehave on purpose: send a
 * request head and hold the body back ({@link #sendHead}, {@link #sendRaw}).
 *
 * <p>Not thread-safe; one request at a time on a connection (keep-alive).
 */
public final class LoopbackHttp implements AutoCloseable {

    /** An answer: status, headers (names in lower case, last value wins) and body text. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int port;

    private LoopbackHttp(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.port = port;
    }

    /** Opens a connection from {@code localAddress} (e.g. "127.0.0.2") to the server on 127.0.0.1:{@code port}. */
    public static LoopbackHttp connect(String localAddress, int port) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            return new LoopbackHttp(s, port);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException("cannot connect from " + localAddress, e);
        }
    }

    /** One request and its answer on this connection. {@code body} may be null; headers may be empty. */
    public Answer exchange(String method, String path, Map<String, String> headers, String body) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (bytes != null) {
            all.put("Content-Length", String.valueOf(bytes.length));
        }
        sendHead(method, path, all);
        if (bytes != null) {
            sendRaw(bytes);
        }
        return read();
    }

    /** Writes a request head (request line, Host, the given headers, blank line) and nothing else. */
    public void sendHead(String method, String path, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost:").append(port).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        sendRaw(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes bytes as they are. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets how long {@link #read} waits for each byte. */
    public LoopbackHttp timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Reads one answer (a Content-Length or chunked body, or up to the end of the stream). */
    public Answer read() {
        try {
            String status = line();
            if (status == null) {
                throw new UncheckedIOException(new IOException("connection closed before an answer"));
            }
            int code = Integer.parseInt(status.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            byte[] body;
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    b.write(in.readNBytes(size));
                    line();
                }
                line();
                body = b.toByteArray();
            } else {
                body = code < 200 || code == 204 || code == 304 ? new byte[0] : in.readAllBytes();
            }
            return new Answer(code, headers, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether bytes from the server are waiting to be read (an answer has begun to arrive). */
    public boolean answered() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the server has closed the connection: waits up to {@code millis} for the end of the stream. */
    public boolean closedByServer(int millis) {
        try {
            socket.setSoTimeout(millis);
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
