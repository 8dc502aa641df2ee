// `fourp serve`: the local web app. An HTTP server (cpp-httplib) on the analyst's machine that
// serves the embedded pages and a JSON API over a workspace folder; every request passes the
// Guard (token, Host, Origin), and runs go through a RunQueue, in-process.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "app/serve/run_queue.h"

namespace fourp::serve {

struct ServeOptions {
  std::filesystem::path workspace = "fourp-workspace";
  std::string host = "127.0.0.1";
  int port = 8765;  // 0: any free port
  RunLimits limits;
  size_t max_body = 4 << 20;  // bytes of a request body (a scenario file is a few kB)
  std::string token;          // empty: a random one
};

class Server {
 public:
  explicit Server(ServeOptions options);
  ~Server();
  // Binds the port (throws std::runtime_error when it cannot): the port bound.
  int bind();
  // "http://127.0.0.1:8765/?token=…" once bound.
  std::string url() const;
  const std::filesystem::path& workspace() const;
  // Serves until stop() (from any thread).
  void listen();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fourp::serve
