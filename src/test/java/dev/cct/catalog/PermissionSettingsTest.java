package dev.cct.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Environment;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled permission settings, judged the way Claude Code 2.1 matches Bash rules: {@code Bash(x:*)} is the legacy
 * prefix form (x alone or x followed by a space and anything), a rule with an unescaped {@code *} is a wildcard
 * matched against the whole command ({@code *} also matches spaces; one trailing {@code " *"} may match nothing), any
 * other rule must equal the command. Deny wins over ask, ask over allow, and what no rule matches prompts.
 */
class PermissionSettingsTest {
    @TempDir
    Path dir;

    enum Decision { DENY, ASK, ALLOW, PROMPT }

    @Test
    void javaBuildRulesAllowTheUsualCommandsExactlyAndNeverADeployOrRelease() {
        Settings java = settings("permissions/allow-java-build-commands");
        SoftAssertions soft = new SoftAssertions();
        for (String command : List.of("mvn test", "mvn -q test", "./mvnw verify", "./mvnw -q clean package",
                "mvn dependency:tree", "gradle test", "./gradlew build", "./gradlew clean test")) {
            soft.assertThat(java.decide(command)).as(command).isEqualTo(Decision.ALLOW);
        }
        for (String command : List.of("mvn test deploy", "mvn -q test deploy", "./mvnw verify deploy", "mvn deploy",
                "mvn -q deploy", "mvn clean deploy -DskipTests", "mvn package deploy:deploy-file -Dfile=a.jar",
                "./mvnw -B site-deploy", "mvn site:deploy", "mvn release:prepare release:perform",
                "./mvnw -q clean release:perform", "mvn package jib:build", "gradle test publish",
                "./gradlew build publishToMavenCentral", "./gradlew :lib:publish", "./gradlew release")) {
            soft.assertThat(java.decide(command)).as(command).isEqualTo(Decision.DENY);
        }
        // Goals that run arbitrary programs are not denied by name, but no rule approves them either.
        for (String command : List.of("mvn test exec:exec -Dexec.executable=sh", "mvn -q test -Dtest=FooTest",
                "./gradlew test --init-script evil.gradle")) {
            soft.assertThat(java.decide(command)).as(command).isEqualTo(Decision.PROMPT);
        }
        soft.assertAll();
    }

    /** The defect this guards against: a prefix rule such as Bash(mvn test:*) also approves mvn test deploy. */
    @Test
    void noBuildRuleApprovesMoreThanTheCommandItNames() {
        Settings java = settings("permissions/allow-java-build-commands");
        SoftAssertions soft = new SoftAssertions();
        for (String rule : java.allow()) {
            soft.assertThat(kind(rule)).as(rule).isEqualTo("exact");
            for (String extra : List.of(" deploy", " deploy:deploy-file", " release:perform", " site-deploy", " publish",
                    " exec:exec")) {
                soft.assertThat(java.decide(literalPart(rule) + extra)).as(rule + " with" + extra)
                        .isNotEqualTo(Decision.ALLOW);
            }
        }
        // npm reads its options anywhere on the line, so npm's own rules take arguments only after "--",
        // which npm hands to the script; npx hands everything after the tool's name to the tool.
        for (String rule : settings("permissions/allow-npm-commands").allow()) {
            String content = content(rule);
            soft.assertThat(kind(rule).equals("exact") || content.matches("npm [a-z ]+ -- \\*")
                    || content.matches("npx [a-z]+ \\*")).as(rule).isTrue();
        }
        soft.assertAll();
    }

    @Test
    void npmRulesAllowScriptArgumentsOnlyAfterTheDoubleDashAndNeverPublish() {
        Settings npm = settings("permissions/allow-npm-commands");
        SoftAssertions soft = new SoftAssertions();
        for (String command : List.of("npm ci", "npm test", "npm test -- --watch=false", "npm run lint -- --fix",
                "npm run build", "npm ls", "npm audit", "npx tsc --noEmit", "npx vitest run")) {
            soft.assertThat(npm.decide(command)).as(command).isEqualTo(Decision.ALLOW);
        }
        // npm reads its own options anywhere before "--": --script-shell would run any program.
        for (String command : List.of("npm test --script-shell=/tmp/x.sh", "npm run build --script-shell=sh",
                "npm ci --registry=https://example.com")) {
            soft.assertThat(npm.decide(command)).as(command).isEqualTo(Decision.PROMPT);
        }
        for (String command : List.of("npm install left-pad", "npm install", "npm audit fix --force", "npm update")) {
            soft.assertThat(npm.decide(command)).as(command).isEqualTo(Decision.ASK);
        }
        for (String command : List.of("npm publish", "npm publish --access public", "npm --registry=https://r publish",
                "npm unpublish pkg@1.0.0", "npm login", "npm token create", "npm config set //r/:_authToken x",
                "npx lerna publish", "npx changeset publish", "npx semantic-release")) {
            soft.assertThat(npm.decide(command)).as(command).isEqualTo(Decision.DENY);
        }
        soft.assertAll();
    }

    @Test
    void gitRulesAllowReadingAndCommittingButNotRewritingOrRunningCommands() {
        Settings git = settings("permissions/allow-git-commands");
        SoftAssertions soft = new SoftAssertions();
        for (String command : List.of("git status", "git status --short", "git diff HEAD~1", "git log --oneline -5",
                "git show HEAD", "git add -A", "git commit -m \"Fix the parser\"", "git branch", "git branch -a",
                "git stash", "git stash list", "git fetch", "git fetch origin", "git remote -v")) {
            soft.assertThat(git.decide(command)).as(command).isEqualTo(Decision.ALLOW);
        }
        for (String command : List.of("git commit --amend -m x", "git commit -m x --no-verify", "git push origin main",
                "git switch -f main", "git checkout -b topic --force", "git reset --hard HEAD~3", "git clean -fdx")) {
            soft.assertThat(git.decide(command)).as(command).isEqualTo(Decision.ASK);
        }
        for (String command : List.of("git branch -D main", "git branch -f main HEAD~5", "git stash drop",
                "git stash clear", "git fetch origin main:main --force")) {
            soft.assertThat(git.decide(command)).as(command).isNotEqualTo(Decision.ALLOW);
        }
        for (String command : List.of("git push --force origin main", "git push origin main --force",
                "git push --force-with-lease", "git push -f", "git push -f origin main", "git push origin main -f",
                "git push origin +main", "git diff --output=/etc/passwd", "git log -p --output=x",
                "git fetch --upload-pack='touch /tmp/x' origin", "git config --global core.pager cat",
                "git filter-branch --tree-filter x")) {
            soft.assertThat(git.decide(command)).as(command).isEqualTo(Decision.DENY);
        }
        soft.assertAll();
    }

    @Test
    void rulesUseTheCurrentSyntaxThatClaudeCodeReadsWithoutWarnings() {
        SoftAssertions soft = new SoftAssertions();
        for (String id : List.of("permissions/allow-java-build-commands", "permissions/allow-npm-commands",
                "permissions/allow-git-commands")) {
            Settings settings = settings(id);
            for (String rule : settings.all()) {
                soft.assertThat(rule).as(id).matches("Bash\\([^()]+\\)");
                // ":*" is the legacy prefix form; mixed with "*" or placed mid-rule Claude Code warns about it.
                soft.assertThat(rule).as(id).doesNotContain(":*");
            }
        }
        soft.assertAll();
    }

    // ---- a model of Claude Code's Bash rule matching ----

    private record Settings(List<String> allow, List<String> ask, List<String> deny) {
        Decision decide(String command) {
            if (deny.stream().anyMatch(rule -> matches(rule, command))) {
                return Decision.DENY;
            }
            if (ask.stream().anyMatch(rule -> matches(rule, command))) {
                return Decision.ASK;
            }
            return allow.stream().anyMatch(rule -> matches(rule, command)) ? Decision.ALLOW : Decision.PROMPT;
        }

        List<String> all() {
            List<String> all = new ArrayList<>(allow);
            all.addAll(ask);
            all.addAll(deny);
            return all;
        }
    }

    private Settings settings(String id) {
        Catalog catalog = new Catalog(BundledCatalog.load(), null,
                new Environment(Map.of(), dir, new ByteArrayInputStream(new byte[0])));
        JsonNode permissions = catalog.resolve(ComponentType.SETTING, id).json().path("permissions");
        return new Settings(texts(permissions.path("allow")), texts(permissions.path("ask")), texts(permissions.path("deny")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String content(String rule) {
        assertThat(rule).startsWith("Bash(").endsWith(")");
        return rule.substring("Bash(".length(), rule.length() - 1);
    }

    private static String kind(String rule) {
        String content = content(rule);
        if (content.endsWith(":*")) {
            return "prefix";
        }
        return content.replace("\\*", "").contains("*") ? "wildcard" : "exact";
    }

    /** The command a rule names before any wildcard. */
    private static String literalPart(String rule) {
        String content = content(rule);
        return switch (kind(rule)) {
            case "prefix" -> content.substring(0, content.length() - 2);
            case "wildcard" -> content.substring(0, content.indexOf('*')).trim();
            default -> content;
        };
    }

    static boolean matches(String rule, String command) {
        String content = content(rule);
        return switch (kind(rule)) {
            case "prefix" -> {
                String prefix = content.substring(0, content.length() - 2);
                yield command.equals(prefix) || command.startsWith(prefix + " ");
            }
            case "wildcard" -> wildcard(content).matcher(command).matches();
            default -> command.equals(content);
        };
    }

    private static Pattern wildcard(String content) {
        StringBuilder regex = new StringBuilder();
        for (char c : content.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (".+?^${}()|[]\\'\"".indexOf(c) >= 0) {
                regex.append('\\').append(c);
            } else {
                regex.append(c);
            }
        }
        String pattern = regex.toString();
        if (pattern.endsWith(" .*") && content.chars().filter(c -> c == '*').count() == 1) {
            pattern = pattern.substring(0, pattern.length() - 3) + "( .*)?";
        }
        return Pattern.compile(pattern, Pattern.DOTALL);
    }
}
