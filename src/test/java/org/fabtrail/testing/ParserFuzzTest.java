package org.fabtrail.testing;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * A Jazzer fuzz test of a parser (docs/testing.md). In a plain test run it replays the committed seeds and kept
 * findings under {@code src/test/resources/<package>/<Class>Inputs/<method>/} (and any {@code @MethodSource} placed
 * before it); in the {@code fuzz} surefire execution it then fuzzes for {@code fuzz.duration}.
 *
 * <p>One input may take at most {@value #TIMEOUT_SECONDS} seconds: a parser that loops or is quadratic on some input
 * fails (while fuzzing through libFuzzer's {@code -timeout}, in regression runs through JUnit's timeout on a
 * separate thread, which also stops a busy loop).
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Timeout(value = ParserFuzzTest.TIMEOUT_SECONDS, unit = TimeUnit.SECONDS,
        threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@FuzzTest(maxDuration = "5s")
public @interface ParserFuzzTest {

    /** Longest time one input may take. */
    int TIMEOUT_SECONDS = 10;
}
