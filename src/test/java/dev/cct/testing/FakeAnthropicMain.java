package dev.cct.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the scripted fake model as a process, for the benchmarks in bench/:
 * {@code FakeAnthropicMain simple PORTFILE}, {@code FakeAnthropicMain bulk FILES BYTES PORTFILE} or
 * {@code FakeAnthropicMain edit3 PORTFILE} (Claude edits three files of the uploaded project: bench/changes.sh) or
 * {@code FakeAnthropicMain batch SECONDS PORTFILE} (a task that writes {@code out.txt} and spends about SECONDS
 * seconds waiting on the model, as a real one does; bench/batch.sh). Writes the port to PORTFILE once it listens and serves until killed.
 */
public final class FakeAnthropicMain {
    /** The probes the egress test reads: each way out of the sandbox, tried once, one line each in probes.txt. */
    static final String EGRESS_PROBES = String.join("\n",
            "import os, socket, urllib.request",
            "import ssl",
            "def get(url):",
            "    try:",
            "        return 'ok %d' % urllib.request.urlopen(url, timeout=10, context=ssl._create_unverified_context()).status",
            "    except Exception as e:",
            "        return 'fail ' + type(e).__name__",
            "def connect(host, port):",
            "    try:",
            "        socket.create_connection((host, port), timeout=5).close()",
            "        return 'ok'",
            "    except Exception as e:",
            "        return 'fail ' + type(e).__name__",
            "def resolve(name):",
            "    try:",
            "        return 'ok ' + socket.gethostbyname(name)",
            "    except Exception as e:",
            "        return 'fail ' + type(e).__name__",
            "print('allowed-http', get('http://allowed.test/'))",
            "print('allowed-https', get('https://allowed.test/'))",
            "print('blocked-http', get('http://blocked.test/'))",
            "print('blocked-https', get('https://blocked.test/'))",
            "print('allowed-other-port', get('http://allowed.test:8080/'))",
            "print('direct-tcp', connect(os.environ['BLOCKED_IP'], 80))",
            "print('direct-tcp-allowed', connect(os.environ['ALLOWED_IP'], 80))",
            "print('dns-blocked', resolve('blocked.test'))",
            "print('dns-outside', resolve('example.com'))",
            "def udp(host, port):",
            "    try:",
            "        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "        s.settimeout(3)",
            "        s.sendto(bytes(12), (host, port))",
            "        s.recv(512)",
            "        return 'ok'",
            "    except Exception as e:",
            "        return 'fail ' + type(e).__name__",
            "print('udp', udp(os.environ['BLOCKED_IP'], 5353))",
            "");

    /**
     * Runs the probes and writes probes.txt, then waits {@code pause} before its last answer, while the test looks
     * for the key in the sandbox.
     */
    static Scenario egressScenario(Duration pause) {
        String bash = "cd '" + Turn.CWD + "' && python3 - > probes.txt 2>&1 <<'PROBES'\n" + EGRESS_PROBES + "PROBES";
        return Scenario.of(Turn.text("Probing the network.").withBash(bash, "probe every way out"),
                Turn.text("Probed."), Turn.text("Done probing.")).withDelayFrom(1, pause);
    }

    /** What the batch task writes to {@code out.txt}. */
    static final String BATCH_OUT = "done\n";
    /** The batch task's final text (the run's {@code result}). */
    static final String BATCH_SUMMARY = "Wrote out.txt.";

    private FakeAnthropicMain() {
    }

    public static void main(String[] args) throws Exception {
        Scenario scenario;
        Path portFile;
        if (args[0].equals("egress")) {
            // In a container of its own, on a network the test made: every interface, a fixed port, the key checked.
            FakeAnthropic.onAllInterfaces(egressScenario(Duration.ofSeconds(Long.parseLong(args[3]))), args[2],
                    Integer.parseInt(args[1]));
            System.out.println("listening");
            Thread.currentThread().join();
            return;
        }
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
        } else if (args[0].equals("batch")) {
            scenario = batchScenario(Duration.ofMillis(Math.round(Double.parseDouble(args[1]) * 1000)));
            portFile = Path.of(args[2]);
        } else {
            scenario = Scenario.simpleWrite();
            portFile = Path.of(args[1]);
        }
        FakeAnthropic fake = FakeAnthropic.start(scenario);
        Files.writeString(portFile, Integer.toString(fake.port()));
        Thread.currentThread().join();
    }

    /**
     * Writes {@code out.txt} ({@link #BATCH_OUT}), then says {@link #BATCH_SUMMARY}; each of the two answers
     * waits half of {@code modelTime}, because that wait, not the CLI's own work, is what running prompts in
     * parallel overlaps.
     */
    static Scenario batchScenario(Duration modelTime) {
        return Scenario.of(Turn.text("Writing out.txt.").withWrite("out.txt", BATCH_OUT), Turn.text(BATCH_SUMMARY))
                .withDelay(modelTime.dividedBy(2))
                .expecting(new ExpectedFile("out.txt", BATCH_OUT.getBytes(StandardCharsets.UTF_8), false));
    }

    /** The same command bench/docker.sh runs for its docker cp comparison. */
    static String bulkCommand(int files, long bytes) {
        return "mkdir -p bulk && i=0; while [ $i -lt " + files + " ]; do head -c " + bytes
                + " /dev/urandom > bulk/f$i.bin; i=$((i+1)); done";
    }
}
