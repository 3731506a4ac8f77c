package dev.cct.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExcludesTest {
    private static final Set<String> INSTALLED = Set.of(".claude/agents/x.md", "./.mcp.json");

    @ParameterizedTest(name = "[{0}] includeAll={1} {2} -> skip={3}")
    @CsvSource(delimiter = '|', textBlock = """
            # user patterns (space separated) | includeAll | path                          | skipped
                                              | false      | src/app.js                    | false
                                              | false      | node_modules                  | true
                                              | false      | node_modules/x/index.js       | true
                                              | false      | web/node_modules/x.js         | true
                                              | false      | .venv/bin/python              | true
                                              | false      | pkg/__pycache__/m.pyc         | true
                                              | false      | my_node_modules/x             | false
                                              | false      | .claude/agents/x.md           | true
                                              | false      | ./.claude/agents/x.md         | true
                                              | false      | .claude/agents/y.md           | false
                                              | false      | .mcp.json                     | true
                                              | true       | node_modules/x/index.js       | false
                                              | true       | .claude/agents/x.md           | false
            *.log                             | false      | debug.log                     | true
            *.log                             | false      | deep/er/debug.log             | true
            *.log                             | false      | logs.d/x.log/inner.txt        | true
            *.log                             | false      | debug.log.txt                 | false
            *.log                             | true       | a/debug.log                   | true
            dist                              | false      | dist                          | true
            dist                              | false      | dist/bundle.js                | true
            dist                              | false      | packages/ui/dist/bundle.js    | true
            dist                              | false      | distribution/x                | false
            dist/                             | false      | packages/dist/x               | true
            /dist                             | false      | dist/x                        | true
            /dist                             | false      | packages/dist/x               | false
            build/**                          | false      | build/a/b/c.o                 | true
            build/**                          | false      | build                         | false
            build/**                          | false      | sub/build/a.o                 | false
            src/*.tmp                         | false      | src/a.tmp                     | true
            src/*.tmp                         | false      | src/deeper/a.tmp              | false
            src/*.tmp                         | false      | other/src/a.tmp               | false
            src/**/*.tmp                      | false      | src/a.tmp                     | true
            src/**/*.tmp                      | false      | src/x/y/a.tmp                 | true
            **/cache                          | false      | cache/x                       | true
            **/cache                          | false      | a/b/cache/x                   | true
            a/**/b                            | false      | a/b                           | true
            a/**/b                            | false      | a/x/y/b/file                  | true
            a/**/b                            | false      | a/x/yb                        | false
            file?.txt                         | false      | file1.txt                     | true
            file?.txt                         | false      | file10.txt                    | false
            [ab].txt                          | false      | dir/b.txt                     | true
            [ab].txt                          | false      | c.txt                         | false
            [!ab].txt                         | false      | c.txt                         | true
            [!ab].txt                         | false      | a.txt                         | false
            [a-c]?                            | false      | b9                            | true
            *                                 | true       | anything/at/all               | true
            \\*.txt                           | false      | *.txt                         | true
            \\*.txt                           | false      | a.txt                         | false
            a*b                               | false      | a/b                           | false
            docs/*                            | false      | docs                          | false
            docs/*                            | false      | docs/readme.md                | true
            *.log build/**                    | false      | build/x                       | true
            *.log build/**                    | false      | x.log                         | true
            *.log build/**                    | false      | x.txt                         | false
            """)
    void decidesWhatIsSkipped(String patterns, boolean includeAll, String path, boolean skipped) {
        List<String> globs = patterns == null ? List.of() : Arrays.asList(patterns.trim().split("\\s+"));

        assertThat(Excludes.of(globs, includeAll, INSTALLED).test(path)).isEqualTo(skipped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"!keep.txt", "", "/", "  ", "src/[ab.txt"})
    void rejectsPatternsItCannotHonour(String pattern) {
        assertThatThrownBy(() -> Excludes.of(List.of(pattern), false, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exclude pattern");
    }
}
