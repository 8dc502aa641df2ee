#include "app/serve/serve_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "app/serve/server.h"
#include "app/signals.h"
#include "sim/diagnostics.h"

namespace fourp::app {

namespace {

struct ServeArgs {
  serve::ServeOptions options;
  bool open = false;
};

int serve_command(const ServeArgs& args) {
  // Ctrl-C: a run being written loses its temporary file, and the program leaves at once; no
  // partial results file is left (app/signals.h).
  catch_signals(OnSignal::leave);
  if (args.options.host != "127.0.0.1" && args.options.host != "localhost" &&
      args.options.host != "::1")
    fmt::print(stderr,
               "fourp: warning: serving on {}, not only on this machine: anyone who can reach "
               "it and has the token can read the workspace and run scenarios\n",
               args.options.host);
  std::error_code ec;
  if (std::filesystem::exists(args.options.workspace, ec) &&
      !std::filesystem::is_directory(args.options.workspace, ec))
    throw InputError(
        fmt::format("--dir {}: error: not a folder (the workspace is a folder of "
                    "scenarios and results)",
                    args.options.workspace.string()));
  serve::Server server(args.options);
  server.bind();
  const std::string url = server.url();
  fmt::print("fourp: serving {} at {}\n", server.workspace().string(), url);
  std::fflush(stdout);
  if (args.open) {
    // xdg-open, in the background; its failure (no desktop) changes nothing.
    const std::string command = fmt::format("xdg-open '{}' >/dev/null 2>&1 &", url);
    if (std::system(command.c_str()) != 0)
      fmt::print(stderr, "fourp: could not open a browser; open the address above\n");
  }
  server.listen();
  return 0;
}

}  // namespace

std::function<std::optional<int>()> add_serve_command(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "The local web app: build a scenario in a form, run it, read and compare the reports, in "
      "the browser (nothing leaves this machine)");
  cmd->add_option("--dir", args->options.workspace,
                  "Workspace folder of scenarios and results (created, with the shipped "
                  "scenarios, on first start)")
      ->capture_default_str();
  cmd->add_option("--port", args->options.port, "Port (0: any free one)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--host", args->options.host,
                  "Address to listen on; anything but 127.0.0.1 opens the app to the network")
      ->capture_default_str();
  cmd->add_flag("--open", args->open, "Open the app in the default browser");
  cmd->add_option("--max-agent-steps", args->options.limits.max_agent_steps,
                  "Largest run one click may start: agents x steps x replicates x arms")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-threads", args->options.limits.max_threads,
                  "Most worker threads a run may use (0: every core)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->footer(R"(
The address printed carries a random access token; the page sets it as a cookie. Every file
the app writes is a normal one: scenarios (YAML) and results (results/*.h5 with their .html
reports) that `fourp validate`, `fourp run` and `fourp report` read as they are.

Example:
  fourp serve --dir ~/fourp-workspace --open)");
  return [cmd, args]() -> std::optional<int> {
    if (!*cmd) return std::nullopt;
    return serve_command(*args);
  };
}

}  // namespace fourp::app
