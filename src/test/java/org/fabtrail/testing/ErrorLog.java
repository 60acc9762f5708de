package org.fabtrail.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The ERROR records the application logs while it is open (a test's Quarkus application runs in the test's JVM):
 * for asserting that a client's bad input is not logged as a server fault.
 */
public final class ErrorLog implements AutoCloseable {

    private final List<String> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                synchronized (records) {
                    records.add(r.getLoggerName() + ": " + r.getMessage()
                            + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"));
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private ErrorLog() {
    }

    public static ErrorLog open() {
        ErrorLog log = new ErrorLog();
        Logger.getLogger("").addHandler(log.handler);
        return log;
    }

    /** The ERROR records so far. */
    public List<String> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
