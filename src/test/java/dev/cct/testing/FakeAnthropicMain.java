package dev.cct.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the scripted fake model as a process, for the benchmarks in bench/:
 * {@code FakeAnthropicMain simple PORTFILE}, {@code FakeAnthropicMain bulk FILES BYTES PORTFILE} or
 * {@code FakeAnthropicMain edit3 PORTFILE} (Claude edits three files of the uploaded project: bench/changes.sh).
 * Writes the port to PORTFILE once it listens and serves until killed.
 */
public final class FakeAnthropicMain {
    private FakeAnthropicMain() {
    }

    public static void main(String[] args) throws Exception {
        Scenario scenario;
        Path portFile;
        if (args[0].equals("bulk")) {
            int files = Integer.parseInt(args[1]);
            long bytes = Long.parseLong(args[2]);
            scenario = Scenario.of(Turn.text("Creating files.").withBash(bulkCommand(files, bytes), "create test files"),
                    Turn.text("Created " + files + " files."));
            portFile = Path.of(args[3]);
        } else if (args[0].equals("edit3")) {
            String edit = "cd '" + Turn.CWD + "' && for f in f1.txt f2.txt f3.txt; do echo 'changed by claude' >> \"$f\"; done";
            scenario = Scenario.of(Turn.text("Editing three files.").withBash(edit, "edit three files"),
                    Turn.text("Edited three files."));
            portFile = Path.of(args[1]);
        } else {
            scenario = Scenario.simpleWrite();
            portFile = Path.of(args[1]);
        }
        FakeAnthropic fake = FakeAnthropic.start(scenario);
        Files.writeString(portFile, Integer.toString(fake.port()));
        Thread.currentThread().join();
    }

    /** The same command bench/docker.sh runs for its docker cp comparison. */
    static String bulkCommand(int files, long bytes) {
        return "mkdir -p bulk && i=0; while [ $i -lt " + files + " ]; do head -c " + bytes
                + " /dev/urandom > bulk/f$i.bin; i=$((i+1)); done";
    }
}
