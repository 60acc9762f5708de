package org.fabtrail.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The templates whose every text is a message bundle entry (ADR 0023): {@link #CONVERTED} lists them, and this test
 * finds any word written in them outside an expression, a comment, code, a sample file
 * ({@code <pre class="sample">}), a path or a tag, and any label-like
 * attribute ({@code aria-label}, {@code placeholder}, {@code title}, {@code alt}) that is not an expression.
 * Templates not listed still have English in them.
 */
class TemplateTextsTest {

    static final List<String> CONVERTED = List.of(
            "layout.html", "LoginPage/login.html", "LoginPage/code.html", "InspectPage/search.html",
            "InspectPage/unit.html", "InspectPage/device.html", "tags/inspectfields.html", "tags/unitalert.html",
            "tags/scan.html", "tags/field.html", "HomePage/home.html", "HomePage/search.html",
            "UnitPage/notFound.html", "UnitPage/unit.html", "UnitLabelPage/label.html", "UnitsPage/list.html",
            "UnitsPage/register.html", "DispatchPage/dispatch.html", "InboxPage/inbox.html",
            "TransferPage/transfer.html", "TransferPage/receive.html", "TransferPage/end.html",
            "UnitActionsPage/status.html", "UnitActionsPage/assemble.html", "UnitActionsPage/disassemble.html",
            "ErrorPage/error.html", "DiscrepanciesPage/dashboard.html", "SitesPage/sites.html",
            "SitesPage/register.html", "OrgPage/list.html", "OrgPage/org.html", "OrgPage/site.html",
            "DiscrepancyPage/detail.html", "ExplorerPage/explorer.html", "ExplorerPage/entry.html",
            "ExplorerPage/consistency.html", "OrgUsersPage/users.html", "OrgTokensPage/tokens.html",
            "OrgTokensPage/created.html", "TwoStepPage/twostep.html", "OrgKeysPage/keys.html",
            "OrgWebhooksPage/created.html", "OrgWebhooksPage/webhooks.html",
            "OrgIdentityProviderPage/provider.html", "tags/verification.html", "DiscrepancyPage/report.html",
            "BulkPage/upload.html", "BulkPage/job.html", "RestrictedPartiesPage/parties.html",
            "LogCheckPage/check.html");

    /** Words that are the same in every language: names, abbreviations, the language switch's own names. */
    static final Set<String> SAME_IN_EVERY_LANGUAGE = Set.of("Fabtrail", "ECCN", "SHA", "HTTP", "English", "Deutsch", "UTF");

    private static final Path TEMPLATES = Path.of("src/main/resources/templates");
    private static final Pattern LABEL_ATTRIBUTE = Pattern.compile(
            "\\s(?:aria-label|placeholder|title|alt)=\"([^\"]*)\"");
    private static final Pattern WORD = Pattern.compile("\\p{L}{2,}");

    /** The words a template shows that are not expressions. */
    static List<String> literalWords(String template) {
        List<String> found = new ArrayList<>();
        String t = template.replaceAll("(?s)\\{!.*?!}", " ");
        Matcher a = LABEL_ATTRIBUTE.matcher(t);
        while (a.find()) {
            String value = a.group(1).replaceAll("\\{[^{}]*}", " ").trim();
            if (!value.isEmpty()) {
                found.add("attribute \"" + a.group(1) + "\"");
            }
        }
        t = t.replaceAll("(?s)<code[^>]*>.*?</code>", " ")
                .replaceAll("(?s)<script[^>]*>.*?</script>", " ")
                .replaceAll("(?s)<pre class=\"sample\">.*?</pre>", " ") // a sample file: data, the same in every language
                .replaceAll("(?s)<[^>]*>", " ")
                .replaceAll("\\{[^{}]*}", " ")
                .replaceAll("(?<![\\p{L}/])/[a-z0-9/._-]+", " "); // a path shown as a link's text: /api/v1/log/key
        Matcher w = WORD.matcher(t);
        while (w.find()) {
            if (!SAME_IN_EVERY_LANGUAGE.contains(w.group())) {
                found.add(w.group());
            }
        }
        return found;
    }

    @Test
    void theConvertedTemplatesWriteNoTextOfTheirOwn() throws IOException {
        List<String> literal = new ArrayList<>();
        for (String name : CONVERTED) {
            String template = Files.readString(TEMPLATES.resolve(name), StandardCharsets.UTF_8);
            for (String word : literalWords(template)) {
                literal.add(name + ": " + word);
            }
        }
        assertEquals(List.of(), literal, "texts not in the message bundle");
    }

    @Test
    void theCheckFindsTextsAndLabels() {
        assertEquals(List.of("attribute \"Find a unit\"", "Sign", "out"), literalWords(
                "{! a comment !}<input aria-label=\"Find a unit\" placeholder=\"{msg:x}\"><button>Sign out</button>"
                        + "<code>manufacturer/serial</code> {msg:nav_units} {#if a}{/if}"));
    }
}
