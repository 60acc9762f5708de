package org.fabtrail.testing;

import io.restassured.specification.RequestSpecification;

/**
 * The sign-in form's double-submit CSRF pair for tests that post {@code /login} without loading the form first: the
 * {@code ft_login_csrf} cookie and the form's {@code _csrf} field carry the same value.
 */
public final class SignInCsrf {

    public static final String COOKIE = "ft_login_csrf";
    public static final String TOKEN = "test-sign-in-form-token";
    /** As a request header line and as a form body's first fields. */
    public static final String HEADER = "Cookie: " + COOKIE + "=" + TOKEN;
    public static final String FIELD = "_csrf=" + TOKEN + "&";

    private SignInCsrf() {
    }

    /** The request, carrying the pair. */
    public static RequestSpecification with(RequestSpecification request) {
        return request.cookie(COOKIE, TOKEN).formParam("_csrf", TOKEN);
    }
}
