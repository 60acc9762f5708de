package org.fabtrail.bench;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * How fast this machine is, in the unit issue 14 states its ceiling in: Bouncy Castle Ed25519 verifications per second
 * on two threads (17,600/s on the machine the issue was measured on). Run it next to a benchmark so that figures
 * taken on different days, or on a different virtual machine behind the same name, can be compared.
 *
 * <pre>
 *   Ed25519Ceiling [seconds] [threads]          defaults: 10 s, 2 threads
 * </pre>
 */
public final class Ed25519Ceiling {

    private Ed25519Ceiling() {
    }

    public static void main(String[] args) throws InterruptedException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        byte[] secret = new byte[Ed25519.SECRET_KEY_SIZE];
        new SecureRandom().nextBytes(secret);
        byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(secret, 0, publicKey, 0);
        byte[] message = new byte[420];  // about a unit registration's signed bytes
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(secret, 0, message, 0, message.length, signature, 0);

        LongAdder verified = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                while (!stop.get()) {
                    if (!Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length)) {
                        throw new IllegalStateException("a valid signature did not verify");
                    }
                    if (measuring.get()) {
                        verified.increment();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        Thread.sleep(3_000);  // the JIT's warm-up
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.printf("Bouncy Castle Ed25519: %,.0f verifications/s on %d threads over %.1f s%n",
                verified.sum() / elapsed, threads, elapsed);
    }
}
