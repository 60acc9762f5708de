package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the administration pages (an organisation's users, API tokens, signing keys, webhooks and identity
 * provider, two-step sign-in) (ADR 0023); templates use them as {@code {admin:key}}, German is
 * {@code messages/admin_de.properties}. A bundle of its own so that each bundle stays within 300 messages (Quarkus
 * 3.33 generates code that fails verification for a bundle of more; {@code UiMessagesTest} checks).
 */
@MessageBundle(value = "admin", locale = "en")
public interface AdminMessages {

    @Message("Users of {org}")
    String users_of(String org);

    @Message("Role")
    String users_role();

    @Message("Since")
    String users_since();

    @Message("(you)")
    String users_you();

    @Message("disabled {at}")
    String users_disabled(String at);

    @Message("Disable")
    String users_disable();

    @Message("Add a user")
    String users_add();

    @Message("2 to 64 lowercase letters, digits, dots, hyphens, underscores or @.")
    String users_username_help();

    @Message("member: works with units and transfers")
    String users_member();

    @Message("org-admin: also manages users, API tokens and keys")
    String users_org_admin();

    @Message("Initial password")
    String users_initial_password();

    @Message("At least 10 characters. Give it to the person by a separate channel.")
    String users_password_help();

    @Message("Add user")
    String users_add_button();

    @Message("API tokens of {org}")
    String tokens_of(String org);

    @Message("Partner systems call the")
    String tokens_intro();

    @Message("REST API")
    String tokens_rest_api();

    @Message("with these bearer tokens. A token is shown once, when it is made; only its hash is kept.")
    String tokens_intro_end();

    @Message("No API tokens yet.")
    String tokens_none();

    @Message("Scopes")
    String tokens_scopes();

    @Message("Created")
    String tokens_created();

    @Message("Expires")
    String tokens_expires();

    @Message("Last used")
    String tokens_last_used();

    @Message("token id")
    String tokens_id();

    @Message("never")
    String tokens_never();

    @Message("Revoke")
    String tokens_revoke();

    @Message("Create a token")
    String tokens_create();

    @Message("e.g. ERP production")
    String tokens_name_placeholder();

    @Message("read: units, histories, the feed, transfers")
    String tokens_read();

    @Message("write: submit signed entries")
    String tokens_write();

    @Message("admin: manage this organisation's tokens")
    String tokens_admin();

    @Message("Expires in (days)")
    String tokens_expires_in();

    @Message("Create token")
    String tokens_create_button();

    @Message("New API token")
    String tokens_new();

    @Message("New")
    String tokens_new_crumb();

    @Message("New API token “{name}”")
    String tokens_new_named(String name);

    @Message("Copy the token now.")
    String tokens_copy_now();

    @Message("This is the only time it is shown: Fabtrail keeps only its hash.")
    String tokens_only_time();

    @Message("Token")
    String tokens_token();

    @Message("Send it as")
    String tokens_send_as();

    @Message("Back to the tokens of {org}")
    String tokens_back(String org);

    @Message("Scan this code with an authenticator app (any app for \"time-based one-time passwords\", TOTP), or type the key\n    into it. Then type the six-digit code it shows.")
    String twostep_scan();

    @Message("Key:")
    String twostep_key();

    @Message("The key as a link")
    String twostep_key_link();

    @Message("Code from the app")
    String twostep_code();

    @Message("Turn on")
    String twostep_turn_on();

    @Message("On: you sign in with your password and the code of your authenticator app.")
    String twostep_on();

    @Message("Turn off")
    String twostep_turn_off();

    @Message("Off: you sign in with your password alone.")
    String twostep_off();

    @Message("Set up an authenticator app")
    String twostep_set_up();

    @Message("Signing keys of {org}")
    String keys_of(String org);

    @Message("Log index")
    String keys_log_index();

    @Message("Partner systems sign entries with these keys. Adding or revoking one is itself an entry in the log, signed as {org} and naming you.")
    String keys_intro(String org);

    @Message("Partner systems sign entries with these keys. Adding or revoking one is itself an entry in the log, signed as {org} (by the operator) and naming you.")
    String keys_intro_operator(String org);

    @Message("Reason (optional)")
    String keys_reason();

    @Message("Add a key")
    String keys_add();

    @Message("Public key (PEM, Ed25519 or ECDSA P-256)")
    String keys_public_key();

    @Message("-----BEGIN PUBLIC KEY-----")
    String keys_pem_placeholder();

    @Message("Make one with")
    String keys_make_one();

    @Message("Keep the private key with you: Fabtrail never needs it.")
    String keys_keep_private();

    @Message("Add key")
    String keys_add_button();

    @Message("New webhook")
    String hooks_new();

    @Message("Webhook registered")
    String hooks_registered();

    @Message("Copy the secret now.")
    String hooks_copy_now();

    @Message("This is the only time it is shown: your system needs it to check the")
    String hooks_only_time();

    @Message("of every delivery.")
    String hooks_of_every_delivery();

    @Message("Secret")
    String hooks_secret();

    @Message("The signature is")
    String hooks_signature_is();

    @Message("= hex HMAC-SHA256, keyed with this secret's text, of")
    String hooks_signature_hmac();

    @Message(", a full stop, and the request body.")
    String hooks_signature_end();

    @Message("URL")
    String hooks_url();

    @Message("Events")
    String hooks_events();

    @Message("Back to the webhooks of {org}")
    String hooks_back(String org);

    @Message("Webhooks of {org}")
    String hooks_of(String org);

    @Message("Fabtrail POSTs the events each webhook chose as JSON to its URL: every event of the findings that name\n  {org} (opened, noted, moved on, resolved), and the custody events that concern it (a dispatch to it, a receipt or\n  rejection of what it sent, a status change or inspection of a unit it holds or made), signed with HMAC-SHA256 under the webhook's secret")
    String hooks_intro(String org);

    @Message("A delivery not answered with 2xx is\n  retried with backoff, up to 10 times. The secret is shown once, when the webhook is registered.")
    String hooks_intro_end();

    @Message("No webhooks yet.")
    String hooks_none();

    @Message("By")
    String hooks_by();

    @Message("webhook id")
    String hooks_id();

    @Message("Stop")
    String hooks_stop();

    @Message("Register a webhook")
    String hooks_register();

    @Message("https://erp.example.com/fabtrail/findings")
    String hooks_url_placeholder();

    @Message("findings that name {org}")
    String hooks_findings(String org);

    @Message("custody events that concern {org}")
    String hooks_custody(String org);

    @Message("Delivery log")
    String hooks_delivery_log();

    @Message("(last {n})")
    String hooks_last(int n);

    @Message("Nothing delivered yet.")
    String hooks_nothing_delivered();

    @Message("Event")
    String hooks_event();

    @Message("About")
    String hooks_about();

    @Message("Attempts")
    String hooks_attempts();

    @Message("Last answer")
    String hooks_last_answer();

    @Message("Next attempt")
    String hooks_next_attempt();

    @Message("log entry #{index}")
    String hooks_log_entry(long index);

    @Message("delivered {at}")
    String hooks_delivered(String at);

    @Message("Identity provider of {org}")
    String idp_of(String org);

    @Message("People of {org} can sign in through your organisation's OpenID Connect provider instead of a\n  password. Register Fabtrail at the provider as a confidential web client with the redirect URI")
    String idp_intro(String org);

    @Message("your people then sign in at")
    String idp_sign_in_at();

    @Message("(the sign-in page links it). The provider never makes anyone the log operator's staff or a member of another\n  organisation.")
    String idp_intro_end();

    @Message("Issuer URL")
    String idp_issuer();

    @Message("https://login.example.com/realms/acme")
    String idp_issuer_placeholder();

    @Message("Client id")
    String idp_client_id();

    @Message("Client secret")
    String idp_client_secret();

    @Message("(stored; leave empty to keep it)")
    String idp_secret_stored();

    @Message("Claim that names the user (their username here)")
    String idp_user_claim();

    @Message("Claim that lists the user's groups")
    String idp_groups_claim();

    @Message("Group whose members sign in as org admin")
    String idp_admin_group();

    @Message("Group whose members sign in as member")
    String idp_member_group();

    @Message("(optional; with neither group, everyone the provider signs in is a member)")
    String idp_member_group_hint();

    @Message("Create an account for a user signing in for the first time (else only existing accounts of {org} may sign in)")
    String idp_provision(String org);

    @Message("Save")
    String idp_save();

    @Message("Remove the identity provider")
    String idp_remove();

    @Message("There is no site \"{site}\" of organisation \"{org}\".")
    String org_no_site(String site, String org);

    @Message("Saved. People of {org} can now sign in through it.")
    String org_provider_saved(String org);

    @Message("Removed: nobody signs in through it any more; the accounts stay.")
    String org_provider_removed();

    @Message("Not saved: {why}.")
    String org_not_saved(String why);

    @Message("Added the key: it signs for {org} from the next log index on.")
    String org_key_added(String org);

    @Message("Revoked the key: entries it signs from now on are refused.")
    String org_key_revoked();

    @Message("Paste the public key in PEM form (-----BEGIN PUBLIC KEY-----).")
    String org_key_paste();

    @Message("A public key in PEM form has at most 4096 characters.")
    String org_key_too_long();

    @Message("This is not a PEM Ed25519 or P-256 public key (SubjectPublicKeyInfo): {problem}")
    String org_key_not_pem(String problem);

    @Message("The UI's own key")
    String org_key_ui_own_title();

    @Message("The web UI signs {org}'s entries with this key, so it cannot be revoked here. The operator can revoke it through the API.")
    String org_key_ui_own(String org);

    @Message("Reason too long")
    String org_reason_too_long_title();

    @Message("A reason has at most 500 characters.")
    String org_reason_too_long();

    @Message("Revoked the token: it is refused from its next request on.")
    String org_token_revoked();

    @Message("Give the lifetime as a whole number of days, 1 to {max}")
    String org_token_days(int max);

    @Message("No such user in {org}.")
    String org_no_user(String org);

    @Message("Not your own account")
    String org_not_own_title();

    @Message("You cannot disable the account you are signed in with; ask another administrator.")
    String org_not_own();

    @Message("Added {user}. They can sign in now with the initial password; ask them to keep it secret.")
    String org_user_added_named(String user);

    @Message("Added the user.")
    String org_user_added();

    @Message("Disabled the user and ended their sessions.")
    String org_user_disabled();

    @Message("Stopped the webhook: nothing more is sent to it; its log is kept.")
    String org_webhook_stopped();

    @Message("Not registered: {why}.")
    String org_not_registered(String why);

    @Message("There is no active webhook {id} of {org}.")
    String org_no_webhook(String id, String org);
}
