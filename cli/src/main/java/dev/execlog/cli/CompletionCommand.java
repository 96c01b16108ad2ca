package dev.execlog.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a bash/zsh completion script for execlog.",
    footer = {"", "Examples:",
        "  source <(execlog completion)",
        "  execlog completion > /etc/bash_completion.d/execlog"})
final class CompletionCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /**
   * Completes task ids and run ids from the server (through the hidden {@code execlog __complete}
   * command, with the same settings: --server, EXECLOG_SERVER, the profile), then falls back to
   * picocli's completion of commands and options.
   */
  static final String DYNAMIC = String.join("\n",
      "",
      "# Task ids and run ids come from the server, with the settings the command line would use.",
      "function _execlog_ids() {",
      "  local kind=\"$1\" cur=\"$2\" i args=()",
      "  for ((i = 1; i < COMP_CWORD; i++)); do",
      "    case \"${COMP_WORDS[i]}\" in",
      "      --server|--profile|--config|--tls-ca|--tls-cert|--tls-key|--tls-authority|--token-file)",
      "        # bash splits host:port at the colon: join it back.",
      "        if [[ \"${COMP_WORDS[i+2]}\" == : ]]; then",
      "          args+=(\"${COMP_WORDS[i]}\" \"${COMP_WORDS[i+1]}:${COMP_WORDS[i+3]}\")",
      "        else",
      "          args+=(\"${COMP_WORDS[i]}\" \"${COMP_WORDS[i+1]}\")",
      "        fi;;",
      "    esac",
      "  done",
      "  \"${COMP_WORDS[0]}\" __complete \"$kind\" \"$cur\" \"${args[@]}\" --timeout 3s 2>/dev/null",
      "}",
      "",
      "function _execlog_dynamic() {",
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" sub=\"\" i w",
      "  for ((i = 1; i < COMP_CWORD; i++)); do",
      "    w=\"${COMP_WORDS[i]}\"",
      "    case \"$w\" in -*|:) continue;; esac",
      "    case \"${COMP_WORDS[i-1]}\" in",
      "      :|--server|--profile|--config|--format|--timeout|--tls-*|--token-file) continue;;",
      "    esac",
      "    sub=\"$w\"; break",
      "  done",
      "  local kind=\"\"",
      "  case \"$prev\" in",
      "    --task|--newer-than-task) kind=tasks;;",
      "    --run|--newer-than-run) kind=runs;;",
      "  esac",
      "  if [[ -z \"$kind\" && \"$cur\" != -* && \"$prev\" == \"$sub\" ]]; then",
      "    case \"$sub\" in",
      "      show|update|remove) kind=runs;;",
      "      history|latest|stats|deps|track-inputs|track-outputs|watch) kind=tasks;;",
      "    esac",
      "  fi",
      "  if [[ -n \"$kind\" ]]; then",
      "    local IFS=$'\\n'",
      "    COMPREPLY=( $(compgen -W \"$(_execlog_ids \"$kind\" \"$cur\")\" -- \"$cur\") )",
      "    return 0",
      "  fi",
      "  _complete_execlog \"$@\"",
      "}",
      "complete -F _execlog_dynamic -o default execlog execlog.sh execlog.bash",
      "");

  @Override
  public Integer call() {
    String script = AutoComplete.bash("execlog", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().print(DYNAMIC);
    spec.commandLine().getOut().flush();
    return ExitCode.OK.code();
  }
}
