package dev.cct.sandbox;

import java.util.Map;

/**
 * One provider's settings, typed and validated when the command line is parsed: a value the run would refuse is
 * refused by {@code --dry-run} too, before anything exists. Each provider package has its own record.
 */
public interface ProviderSettings {

    /** The provider these settings are for. */
    ProviderKind kind();

    /** What the user set, by flag name without dashes and as typed ("memory" -> "2g"), for the plan; no secrets. */
    Map<String, String> given();

    /** Where the sandbox may connect to. */
    default EgressPolicy egress() {
        return EgressPolicy.OPEN;
    }
}
