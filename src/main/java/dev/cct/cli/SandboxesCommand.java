package dev.cct.cli;

import dev.cct.core.CctException;
import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.core.Secrets;
import dev.cct.run.Providers;
import dev.cct.sandbox.OrphanReaper;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.ui.Ui;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cct sandboxes list|clean}: the sandboxes cct created, on every provider that is configured. */
@Command(name = "sandboxes", description = "List or remove the sandboxes cct created.")
public final class SandboxesCommand {
    private final Context context;

    public SandboxesCommand(Context context) {
        this.context = context;
    }

    private record Found(ProviderKind kind, SandboxProvider provider, SandboxProvider.SandboxInfo info) {
    }

    @Command(name = "list", description = "List cct's sandboxes: provider, id, state, owner process.")
    int list(@Mixin DisplayOptions display,
             @Option(names = "--sandbox", paramLabel = "PROVIDER", description = "Only this provider.") String only) {
        Ui ui = context.ui(display);
        List<Found> found = collect(ui, only);
        if (found.isEmpty()) {
            ui.info("No sandboxes created by cct.");
            return ExitCode.OK;
        }
        ui.out().printf("%-11s %-14s %-10s %-26s %s%n", "PROVIDER", "ID", "STATE", "CREATED", "OWNER");
        for (Found f : found) {
            var labels = f.info().labels();
            String batch = labels.extra().get(dev.cct.sandbox.SandboxLabels.BATCH);
            String owner = labels.host() + " pid " + labels.pid() + (labels.ownerIsGone() ? " (gone)" : "")
                    + (batch == null ? "" : ", batch " + batch);
            ui.out().printf("%-11s %-14s %-10s %-26s %s%n", f.kind().flag(), Format.shortId(f.info().id()), f.info().status(),
                    f.info().created(), owner);
        }
        ui.out().flush();
        return ExitCode.OK;
    }

    @Command(name = "clean", description = "Remove cct's sandboxes whose cct process is gone (with --all: every one).")
    int clean(@Mixin DisplayOptions display,
              @Option(names = "--sandbox", paramLabel = "PROVIDER", description = "Only this provider.") String only,
              @Option(names = "--all", description = "Also remove sandboxes of cct runs still in progress.") boolean all) {
        Ui ui = context.ui(display);
        int removed = 0;
        int failed = 0;
        for (Configured configured : configured(ui, only)) {
            OrphanReaper.Result result;
            try {
                result = OrphanReaper.reap(configured.provider(), all);
            } catch (SandboxException e) {
                failed += unreachable(ui, only, configured.kind(), e);
                continue;
            }
            String flag = configured.kind().flag();
            result.kept().forEach(info -> ui.info("kept " + flag + " " + Format.shortId(info.id())
                    + " (its cct run is still going; use --all)"));
            result.removed().forEach(info -> ui.out().println("removed " + flag + " " + Format.shortId(info.id())));
            result.failed().forEach(f -> ui.warn("could not remove " + f.sandbox().id() + ": " + f.reason()));
            removed += result.removed().size();
            failed += result.failed().size();
        }
        ui.info(removed + " sandbox(es) removed.");
        ui.out().flush();
        return failed == 0 ? ExitCode.OK : ExitCode.PROVIDER_FAILURE;
    }

    private record Configured(ProviderKind kind, SandboxProvider provider) {
    }

    /** Every configured provider is asked; one that cannot be reached is reported, not fatal. */
    private List<Found> collect(Ui ui, String only) {
        List<Found> found = new ArrayList<>();
        for (Configured configured : configured(ui, only)) {
            try {
                for (SandboxProvider.SandboxInfo info : configured.provider().list()) {
                    found.add(new Found(configured.kind(), configured.provider(), info));
                }
            } catch (SandboxException e) {
                unreachable(ui, only, configured.kind(), e);
            }
        }
        return found;
    }

    /** The providers to ask: the one named, or every one whose keys are set. */
    private List<Configured> configured(Ui ui, String only) {
        Secrets secrets = context.loadSecrets();
        List<ProviderKind> kinds = new ArrayList<>();
        if (only != null) {
            kinds.add(ProviderKind.parse(only).orElseThrow(() -> CctException.badInput("unknown --sandbox '" + only + "'",
                    "use one of: " + ProviderKind.choices())));
        } else {
            for (ProviderKind kind : ProviderKind.values()) {
                if (kind.requiredVariables().stream().allMatch(secrets::has)) {
                    kinds.add(kind);
                }
            }
        }
        Providers providers = new Providers(context.environment);
        List<Configured> result = new ArrayList<>();
        for (ProviderKind kind : kinds) {
            try {
                result.add(new Configured(kind, providers.forHousekeeping(kind, secrets)));
            } catch (CctException e) {
                if (only != null) {
                    throw e;
                }
                ui.warn(kind.flag() + ": " + e.getMessage());
            }
        }
        return result;
    }

    /** With --sandbox, an unreachable provider fails the command; otherwise it is one warning. */
    private static int unreachable(Ui ui, String only, ProviderKind kind, SandboxException e) {
        if (only != null) {
            throw CctException.provider(kind.flag() + ": " + e.getMessage(), e);
        }
        ui.warn(kind.flag() + ": " + e.getMessage());
        return 0;
    }
}
