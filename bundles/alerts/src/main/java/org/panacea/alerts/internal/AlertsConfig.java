package org.panacea.alerts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The alert rules and where alerts are sent: {@code etc/org.panacea.alerts.cfg} (PID {@code org.panacea.alerts}).
 * Property names are the method names with dots for underscores. A threshold of 0 or less, or an empty setting,
 * turns its rule off. Every default is documented in README "Alerts".
 */
@ObjectClassDefinition(name = "Panacea alerts", description = "Alert rules over the audit trail and notifications")
public @interface AlertsConfig {

    @AttributeDefinition(description = "Bulk access: alert when one user opens more than this many distinct charts"
            + " within bulk.access.window.minutes; 0 turns the rule off")
    int bulk_access_threshold() default 50;

    @AttributeDefinition(description = "Bulk access: the sliding window, in minutes")
    int bulk_access_window_minutes() default 10;

    @AttributeDefinition(description = "Alert on every break-glass opening")
    boolean break_glass_enabled() default true;

    @AttributeDefinition(description = "Repeated denials: alert when one user is refused access more than this many"
            + " times within denials.window.minutes; 0 turns the rule off")
    int denials_threshold() default 10;

    @AttributeDefinition(description = "Repeated denials: the sliding window, in minutes")
    int denials_window_minutes() default 10;

    @AttributeDefinition(description = "Alert when the login throttle starts refusing a user or an address")
    boolean failed_logins_enabled() default true;

    @AttributeDefinition(description = "Flagged charts (VIP, employee): logical ids of the patients whose charts"
            + " alert whenever opened, comma-separated")
    String flagged_patients() default "";

    @AttributeDefinition(description = "Flagged charts: the security labels (system|code, comma-separated) whose "
            + "presence in a Patient's meta.security flags its chart; empty: only flagged.patients flag")
    String flagged_labels() default "http://terminology.hl7.org/CodeSystem/v3-ActCode|CEL, "
            + "http://terminology.hl7.org/CodeSystem/v3-ActCode|EMP";

    @AttributeDefinition(description = "Flagged charts: seconds a node trusts what it read about a chart's labels; a "
            + "label added or removed (on any node) flags or unflags the chart within this time")
    int flagged_labels_cache_seconds() default 60;

    @AttributeDefinition(description = "Working hours per role, e.g. clinician=07:00-19:00, nurse=22:00-08:00;"
            + " empty turns the rule off")
    String working_hours() default "";

    @AttributeDefinition(description = "Time zone of the working hours (e.g. Europe/Zurich); empty: the JVM's")
    String working_hours_zone() default "";

    @AttributeDefinition(description = "Break-glass, flagged charts and working hours: minutes without a matching opening after"
            + " which the same user (and chart) alerts again")
    int quiet_minutes() default 60;

    @AttributeDefinition(description = "Bulk export: alert when one user exports the records of more than this many"
            + " patients within export.window.minutes; 0 turns the rule off")
    int export_threshold() default 100;

    @AttributeDefinition(description = "Bulk export: the sliding window, in minutes")
    int export_window_minutes() default 60;

    @AttributeDefinition(description = "Alert when a verification finds the audit trail broken")
    boolean verify_enabled() default true;

    @AttributeDefinition(description = "One node at a time evaluates the rules over every node's audit entries,"
            + " holding a lease in the audit database; when it dies, another takes over this many seconds later")
    int evaluator_lease_seconds() default 15;

    @AttributeDefinition(description = "How often, in milliseconds, the evaluating node looks for entries other nodes"
            + " committed (its own wake it at once), and a waiting node for an expired lease")
    int evaluator_poll_milliseconds() default 1000;

    @AttributeDefinition(description = "SMTP server for alert e-mails; empty: no e-mail")
    String mail_host() default "";

    @AttributeDefinition(description = "SMTP port")
    int mail_port() default 25;

    @AttributeDefinition(description = "How the SMTP connection is protected: none (a relay on the hospital's"
            + " network), starttls (port 587, the upgrade required) or tls (implicit TLS, port 465); over TLS the"
            + " server's certificate must chain to mail.trustStore (or the JVM's authorities) and name mail.host")
    String mail_security() default "none";

    @AttributeDefinition(description = "SMTP login name; empty: no authentication. Needs mail.security starttls or"
            + " tls, so the password never travels in clear")
    String mail_user() default "";

    @AttributeDefinition(description = "Password of mail.user; write it as $[env:NAME] to take it from the"
            + " environment instead of this file", type = AttributeType.PASSWORD)
    String _mail_password() default "";

    @AttributeDefinition(description = "Trust store of the mail server's certificate; empty: the JVM's authorities")
    String mail_trustStore() default "";

    @AttributeDefinition(description = "Password of mail.trustStore")
    String _mail_trustStorePassword() default "";

    @AttributeDefinition(description = "Type of mail.trustStore")
    String mail_trustStoreType() default "PKCS12";

    @AttributeDefinition(description = "Sender address of alert e-mails")
    String mail_from() default "panacea@localhost";

    @AttributeDefinition(description = "Recipients of alert e-mails, comma-separated")
    String mail_to() default "";

    @AttributeDefinition(description = "URL alerts are POSTed to as JSON; empty: no webhook")
    String webhook_url() default "";

    @AttributeDefinition(description = "Connect and answer time limit of the e-mail and webhook, in seconds")
    int notify_timeout_seconds() default 10;

    @AttributeDefinition(description = "Whether e-mails and webhooks name the patient's logical id (never a name)")
    boolean notify_include_patient() default true;
}
