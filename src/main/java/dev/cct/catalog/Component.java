package dev.cct.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One validated component.
 *
 * @param type        what kind of component it is
 * @param id          "category/name" for catalog components, the file's base name for local ones
 * @param origin      where it came from: "bundled", a URL, or a local path (for messages and the plan)
 * @param content     the main file's bytes (the Markdown, the JSON, or SKILL.md)
 * @param description one line saying what it is for
 * @param json        the parsed document of JSON components (description removed), else null
 * @param supportFiles further files: hook scripts by file name, a skill's other files by relative path
 * @param warnings    what Claude Code would warn about when it loads this component, one line each
 */
public record Component(ComponentType type, String id, String origin, byte[] content, String description,
                        ObjectNode json, Map<String, byte[]> supportFiles, List<String> warnings) {

    public Component(ComponentType type, String id, String origin, byte[] content, String description, ObjectNode json,
                     Map<String, byte[]> supportFiles) {
        this(type, id, origin, content, description, json, supportFiles, List.of());
    }

    /** The name without its category: what the installed file is called. */
    public String name() {
        int slash = id.lastIndexOf('/');
        return slash < 0 ? id : id.substring(slash + 1);
    }

    /** The category, or "" for local components. */
    public String category() {
        int slash = id.lastIndexOf('/');
        return slash < 0 ? "" : id.substring(0, slash);
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** "agent security/security-auditor", as messages name it. */
    public String displayName() {
        return type.label() + " " + id;
    }
}
