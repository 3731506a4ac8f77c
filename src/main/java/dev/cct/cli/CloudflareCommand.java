package dev.cct.cli;

import dev.cct.core.ExitCode;
import dev.cct.core.Secrets;
import dev.cct.sandbox.cloudflare.WorkerDeployer;
import dev.cct.sandbox.cloudflare.WorkerProject;
import dev.cct.ui.Ui;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cct cloudflare deploy}: puts cct's Worker on the user's Cloudflare account, once. */
@Command(name = "cloudflare", synopsisSubcommandLabel = "deploy", usageHelpWidth = 100,
        description = "Set up the Cloudflare Worker that --sandbox cloudflare talks to.")
public final class CloudflareCommand {
    private final Context context;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    public CloudflareCommand(Context context) {
        this.context = context;
    }

    @Command(name = "deploy", sortOptions = false, usageHelpWidth = 100,
            description = {
                "Deploy cct's Worker to your Cloudflare account and print the two variables to set.",
                "Runs npm ci and wrangler deploy with your wrangler login, then stores a new random token",
                "as the Worker's secret.",
                "Needs Node.js (node, npm, npx), a Cloudflare account on the Workers Paid plan, and",
                "'npx wrangler login' done (or CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID set).",
                "",
                "The token is printed ONCE, on purpose: it is your own secret and exists nowhere else.",
                "Put both lines in ./.env or your secret store. Running deploy again replaces the token."})
    int deploy(@Mixin DisplayOptions display,
               @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.") boolean help,
               @Option(names = "--project", paramLabel = "DIR",
                       description = "Deploy this Worker project folder instead of the one bundled with cct.") String project)
            throws InterruptedException {
        Ui ui = context.ui(display);
        Path folder = project != null ? context.environment.resolve(project)
                : WorkerProject.extract(context.environment.cacheDirectory());
        WorkerDeployer deployer = new WorkerDeployer(context.environment.variables(), ui::info,
                line -> ui.debug("  " + line));
        WorkerDeployer.Deployed deployed = deployer.deploy(folder);
        ui.info(ui.green("✓ ") + ui.bold("Worker deployed") + "; set these two variables (in ./.env or your secret store):");
        if (deployed.url().isPresent()) {
            ui.out().println(Secrets.CLOUDFLARE_SANDBOX_URL + "=" + deployed.url().get());
        } else {
            ui.warn("wrangler printed no workers.dev address (a custom route?): set "
                    + Secrets.CLOUDFLARE_SANDBOX_URL + " to the Worker's URL yourself");
        }
        // The one place cct prints a secret: the user's own, freshly made, shown once so it can be kept.
        ui.out().println(Secrets.CLOUDFLARE_SANDBOX_TOKEN + "=" + deployed.token());
        ui.out().flush();
        ui.info("Then run: cct --sandbox cloudflare --prompt \"...\"");
        return ExitCode.OK;
    }
}
