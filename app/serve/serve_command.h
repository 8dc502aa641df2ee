// `fourp serve [--dir WORKSPACE] [--port 8765] [--host 127.0.0.1] [--open]` (issue 14): the local
// web app (app/serve/server.h) until Ctrl-C.
#pragma once

#include <functional>
#include <optional>

namespace CLI {
class App;
}

namespace fourp::app {

// Adds the `serve` subcommand; the returned function runs it when it was chosen.
std::function<std::optional<int>()> add_serve_command(CLI::App& app);

}  // namespace fourp::app
