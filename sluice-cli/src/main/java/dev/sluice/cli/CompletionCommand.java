package dev.sluice.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice completion bash}: prints a script that completes sluice's commands, options and file names. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a bash completion script.",
            "Works in zsh too, after: autoload -U +X bashcompinit && bashcompinit"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice completion bash > ~/.local/share/bash-completion/completions/sluice",
            "  source <(sluice completion bash)         (for this shell only)"
        })
final class CompletionCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "The shell: bash (zsh reads the same script).")
    Shell shell;

    enum Shell {
        BASH,
        ZSH
    }

    @Override
    public Integer call() {
        spec.commandLine()
                .getOut()
                .print(AutoComplete.bash("sluice", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
