package dev.cct.catalog;

import java.util.List;

/** Files of a catalog laid out like claude-code-templates' components folder, addressed by relative path. */
public interface CatalogSource {

    /** The bytes at {@code path} (e.g. "agents/security/security-auditor.md"), or null when there is none. */
    byte[] read(String path);

    /** Every path under {@code prefix}; empty when the source cannot list (a remote catalog). */
    List<String> list(String prefix);

    /** How messages name this source: "bundled" or a URL. */
    String describe(String path);
}
