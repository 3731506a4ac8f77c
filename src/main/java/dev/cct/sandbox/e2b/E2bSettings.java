package dev.cct.sandbox.e2b;

import dev.cct.core.CctException;
import dev.cct.core.Secrets;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The sandbox template and where E2B lives. The key stays inside the configuration, whose text never shows it.
 *
 * @param template      E2B template name or id
 * @param templateGiven whether the user chose it with --template
 * @param egress        where the sandbox may connect to, kept by E2B's own egress rules from its creation on
 */
public record E2bSettings(String template, boolean templateGiven, E2bConfig config, EgressPolicy egress)
        implements ProviderSettings {
    /** E2B's template with Claude Code installed. */
    static final String DEFAULT_TEMPLATE = "claude";

    public E2bSettings {
        Objects.requireNonNull(egress, "egress");
    }

    /** Checks --template (null: the default) and the E2B variables; every bad value is bad input. Egress is open. */
    public static E2bSettings parse(String template, Secrets secrets) {
        checkTemplate(template);
        return new E2bSettings(template == null ? DEFAULT_TEMPLATE : template.strip(), template != null,
                E2bConfig.from(secrets), EgressPolicy.OPEN);
    }

    public E2bSettings withEgress(EgressPolicy policy) {
        return new E2bSettings(template, templateGiven, config, policy);
    }

    /** Only --template, before the keys are looked at: a bad flag is reported before a missing key. */
    public static void checkTemplate(String template) {
        if (template != null && !template.strip().matches("[A-Za-z0-9][A-Za-z0-9._/:-]{0,127}")) {
            throw CctException.badInput("invalid --template '" + template + "'", "give an E2B template name or id, e.g. claude");
        }
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.E2B;
    }

    @Override
    public Map<String, String> given() {
        Map<String, String> given = new LinkedHashMap<>();
        if (templateGiven) {
            given.put("template", template);
        }
        if (!egress.open()) {
            given.put("egress", egress.describe());
        }
        return given;
    }
}
