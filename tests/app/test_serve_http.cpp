// The web app's server over HTTP, in-process on a free port: who may use it (token, Host,
// Origin), what it may touch (the workspace only, bodies of bounded size), and that a run from
// the app gives the engine's numbers, streams its progress, and leaves nothing when cancelled.
#include <fmt/format.h>
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/serve/server.h"
#include "output/results_file.h"
#include "sim/runner.h"
#include "tests/support/test_support.h"

using namespace fourp;
using fourp::test::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* kTiny = R"(# a tiny district
name: tiny
seed: 11
replicates: 3
steps: 30
population: {size: 400, communities: 2}
trafficking: {approach_rate: 0.02}
interventions:
  media: {kind: outsider_campaign, reach: 0.3, message: {blame: 0.6}, cost: {fixed_per_step: 50}}
arms: {baseline: [], outsider: [media]}
)";

// A server on a free port of 127.0.0.1 over a fresh workspace, stopped when the object dies.
struct LiveServer {
  TempDir dir;
  std::unique_ptr<serve::Server> server;
  std::thread thread;
  int port = 0;
  std::string token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  explicit LiveServer(serve::RunLimits limits = {}) {
    fourp::test::write_file(dir / "ws/scenarios/tiny.yaml", kTiny);
    serve::ServeOptions o;
    o.workspace = dir / "ws";
    o.port = 0;
    o.token = token;
    o.limits = limits;
    o.max_body = 64 * 1024;
    server = std::make_unique<serve::Server>(o);
    port = server->bind();
    thread = std::thread([this] { server->listen(); });
  }
  ~LiveServer() {
    server->stop();
    thread.join();
  }
  fs::path ws() const { return dir / "ws"; }
  std::string origin() const { return fmt::format("http://127.0.0.1:{}", port); }
  // A client that carries the token's cookie, as the browser does after the first page.
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_default_headers({{"Cookie", fmt::format("fourp_token_{}={}", port, token)}});
    c.set_read_timeout(120, 0);
    return c;
  }
  httplib::Result post(const std::string& path, const json& body) const {
    httplib::Client c = client();
    return c.Post(path.c_str(), {{"Origin", origin()}}, body.dump(), "application/json");
  }
  // Polls a run until it has ended (no time limit beyond CTest's own).
  json wait_for_end(int id) const {
    httplib::Client c = client();
    for (;;) {
      auto r = c.Get(fmt::format("/api/runs/{}", id).c_str());
      REQUIRE(r);
      const json s = json::parse(r->body);
      if (s["state"] != "queued" && s["state"] != "running") return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
};

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename());
  return out;
}

}  // namespace

TEST_CASE("serve: no token, no access, the first page with it sets the cookie", "[unit]") {
  LiveServer s;
  httplib::Client bare("127.0.0.1", s.port);
  auto r = bare.Get("/api/workspace");
  REQUIRE(r);
  CHECK(r->status == 401);
  r = bare.Get("/");
  CHECK(r->status == 401);
  r = bare.Get("/?token=wrong");
  CHECK(r->status == 401);
  r = bare.Get(("/?token=" + s.token).c_str());
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Set-Cookie").find(fmt::format("fourp_token_{}={}", s.port, s.token)) ==
        0);
  CHECK(r->get_header_value("Set-Cookie").find("HttpOnly") != std::string::npos);
  r = bare.Get(("/api/workspace?token=" + s.token).c_str());  // only the page takes it
  CHECK(r->status == 401);
  r = s.client().Get("/api/workspace");
  CHECK(r->status == 200);
  CHECK(json::parse(r->body)["scenarios"].size() > 3);
}

TEST_CASE("serve: a foreign Host (DNS rebinding) or Origin is refused", "[unit]") {
  LiveServer s;
  httplib::Client c = s.client();
  auto r = c.Get("/api/workspace", {{"Host", "evil.example:80"}});
  REQUIRE(r);
  CHECK(r->status == 403);
  r = c.Get("/api/workspace", {{"Host", fmt::format("localhost:{}", s.port)}});
  CHECK(r->status == 200);
  const json body{{"path", "scenarios/tiny.yaml"}, {"text", kTiny}};
  r = c.Post("/api/check", {{"Origin", "http://evil.example"}}, body.dump(), "application/json");
  CHECK(r->status == 403);
  r = c.Post("/api/check", {{"Origin", s.origin()}}, body.dump(), "application/json");
  CHECK(r->status == 200);
}

TEST_CASE("serve: nothing outside the workspace, bodies of bounded size", "[unit]") {
  LiveServer s;
  fourp::test::write_file(s.dir / "secret.txt", "TOP-SECRET-CONTENT");
  fs::create_directory_symlink(s.dir.path(), s.ws() / "up");
  httplib::Client c = s.client();
  for (const char* bad : {"../secret.txt", "%2e%2e/secret.txt", "/etc/passwd",
                          "scenarios/../../secret.txt", "up/secret.txt"}) {
    auto r = c.Get(fmt::format("/api/file?path={}", bad).c_str());
    REQUIRE(r);
    INFO(bad);
    CHECK(r->status == 404);
    CHECK(r->body.find("TOP-SECRET") == std::string::npos);
  }
  auto r = c.Get("/api/file?path=scenarios/tiny.yaml");
  CHECK(r->status == 200);
  CHECK(r->body == kTiny);
  // Saving is confined too, and to YAML.
  r = s.post("/api/save", {{"path", "../evil.yaml"}, {"text", "x"}});
  CHECK(r->status == 404);
  r = s.post("/api/save", {{"path", "results/x.h5"}, {"text", "x"}});
  CHECK(r->status == 404);
  CHECK_FALSE(fs::exists(s.dir / "evil.yaml"));
  // A scenario may not make the app read a file outside the workspace: not as its network, not
  // as a calibration to draw from.
  fourp::test::write_file(s.dir / "edges.txt", "0 1\n");
  const std::string net = std::string(kTiny) + "network: {kind: file, path: ../../edges.txt}\n";
  fourp::test::write_file(s.ws() / "scenarios/net.yaml", net);
  r = s.post("/api/check", {{"path", "scenarios/net.yaml"}, {"text", net}});
  CHECK(r->body.find("outside the workspace") != std::string::npos);
  r = s.post("/api/runs", {{"path", "scenarios/net.yaml"}});
  CHECK(r->status == 400);
  CHECK(r->body.find("outside the workspace") != std::string::npos);
  const std::string from = std::string(kTiny) + "uncertainty: {from: ../../calib.h5}\n";
  fourp::test::write_file(s.dir / "calib.h5", "not read");
  r = s.post("/api/check", {{"path", "scenarios/from.yaml"}, {"text", from}});
  CHECK(r->body.find("outside the workspace") != std::string::npos);
  r = s.post("/api/check", {{"path", "scenarios/tiny.yaml"}, {"text", std::string(100000, 'x')}});
  CHECK(r->status == 413);
}

TEST_CASE("serve: checks place messages, saving never replaces a file unasked", "[unit]") {
  LiveServer s;
  std::string bad = kTiny;
  bad.replace(bad.find("blame: 0.6"), 10, "blame: 1.6");
  auto r = s.post("/api/check", {{"path", "scenarios/tiny.yaml"}, {"text", bad}});
  REQUIRE(r);
  const json checked = json::parse(r->body);
  CHECK(checked["ok"] == false);
  REQUIRE(checked["diagnostics"].size() == 1);
  CHECK(checked["diagnostics"][0]["text"].get<std::string>().rfind(
            "scenarios/tiny.yaml:9:65: error:", 0) == 0);
  CHECK(checked["diagnostics"][0]["field"] == "interventions.media.message.blame");

  // A body that is not a JSON object, an unknown edit: 400 with a message, nothing changed.
  httplib::Client c = s.client();
  r = c.Post("/api/check", {{"Origin", s.origin()}}, "{not json", "application/json");
  CHECK(r->status == 400);
  CHECK(r->body.find("not a JSON object") != std::string::npos);
  r = c.Post("/api/save", {{"Origin", s.origin()}}, "[1, 2]", "application/json");
  CHECK(r->status == 400);
  r = s.post("/api/edit", {{"path", "scenarios/tiny.yaml"}, {"text", kTiny}, {"op", "explode"}});
  CHECK(r->status == 400);
  CHECK(r->body.find("unknown edit 'explode'") != std::string::npos);
  r = s.post("/api/runs", {{"path", "scenarios/tiny.yaml"}, {"replicates", "three"}});
  CHECK(r->status == 400);
  CHECK(r->body.find("whole numbers") != std::string::npos);
  CHECK(files_in(s.ws() / "results").empty());
  r = s.post("/api/edit", {{"path", "scenarios/tiny.yaml"},
                           {"text", kTiny},
                           {"op", "set"},
                           {"key", "model.denial"},
                           {"value", "x: 1"}});
  CHECK(r->status == 400);

  r = s.post("/api/save", {{"path", "scenarios/tiny.yaml"}, {"text", bad}});
  CHECK(r->status == 409);
  r = s.client().Get("/api/file?path=scenarios/tiny.yaml");
  CHECK(r->body == kTiny);
  r = s.post("/api/save", {{"path", "scenarios/tiny.yaml"}, {"text", bad}, {"overwrite", true}});
  CHECK(r->status == 200);
  r = s.client().Get("/api/file?path=scenarios/tiny.yaml");
  CHECK(r->body == bad);
  r = s.post("/api/runs", {{"path", "scenarios/tiny.yaml"}});  // a bad scenario does not run
  CHECK(r->status == 400);
  CHECK(r->body.find("tiny.yaml:9:65: error:") != std::string::npos);
}

TEST_CASE("serve: a run from the app gives the engine's numbers, its events end at 100%",
          "[unit]") {
  LiveServer s;
  auto r = s.post("/api/runs", {{"path", "scenarios/tiny.yaml"}, {"replicates", 2}});
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const int id = json::parse(r->body)["id"];
  // Server-Sent Events until the run ends: the last one says done, every step counted.
  std::string events;
  httplib::Client c = s.client();
  auto stream =
      c.Get(fmt::format("/api/runs/{}/events", id).c_str(), [&](const char* data, size_t n) {
        events.append(data, n);
        return true;
      });
  REQUIRE(stream);
  CHECK(stream->get_header_value("Content-Type") == "text/event-stream");
  const size_t last = events.rfind("data: ");
  REQUIRE(last != std::string::npos);
  const json end = json::parse(events.substr(last + 6));
  CHECK(end["state"] == "done");
  CHECK(end["done"] == end["total"]);
  CHECK(end["total"] == 2 * 2 * 30);  // arms x replicates x steps
  CHECK(fs::exists(s.ws() / end["report"].get<std::string>()));
  // The scenario it ran can be edited and saved again (the run read its own copy).
  r = s.post("/api/save", {{"path", "scenarios/tiny.yaml"}, {"text", kTiny}, {"overwrite", true}});
  CHECK(r->status == 200);

  Scenario scenario = fourp::test::scenario_from_yaml(kTiny);
  scenario.replicates = 2;
  const Results direct = run_scenario(scenario, {});
  const Results app = read_results(s.ws() / end["results"].get<std::string>());
  REQUIRE(app.arms.size() == direct.arms.size());
  for (size_t a = 0; a < app.arms.size(); ++a)
    for (size_t rep = 0; rep < 2; ++rep) {
      CHECK(app.arms[a].replicates[rep].totals == direct.arms[a].replicates[rep].totals);
      CHECK(app.arms[a].replicates[rep].series == direct.arms[a].replicates[rep].series);
    }

  // The CSV download: a zip of the tidy files.
  r = s.client().Get(("/api/csv?path=" + end["results"].get<std::string>()).c_str());
  REQUIRE(r->status == 200);
  CHECK(r->body.rfind("PK\x03\x04", 0) == 0);
  CHECK(r->body.find("totals.csv") != std::string::npos);
  // Compared with itself, nothing changed.
  r = s.client().Get(
      fmt::format("/api/compare?a={0}&b={0}", end["results"].get<std::string>()).c_str());
  REQUIRE(r->status == 200);
  const json rows = json::parse(r->body)["rows"];
  REQUIRE(rows.size() > 0);
  for (const auto& row : rows)
    if (row["a"][0].is_number()) CHECK(row["change"] == 0);
}

TEST_CASE("serve: a cancelled run writes nothing, the queue goes on, limits refuse at once",
          "[unit]") {
  LiveServer s;
  std::string big = kTiny;
  big.replace(big.find("steps: 30"), 9, "steps: 100000");
  fourp::test::write_file(s.ws() / "scenarios/big.yaml", big);
  auto r = s.post("/api/runs", {{"path", "scenarios/big.yaml"}, {"replicates", 1}});
  REQUIRE(r->status == 200);
  const int running = json::parse(r->body)["id"];
  r = s.post("/api/runs", {{"path", "scenarios/big.yaml"}, {"replicates", 1}});
  const int queued = json::parse(r->body)["id"];
  r = s.post("/api/runs", {{"path", "scenarios/tiny.yaml"}, {"replicates", 1}});
  const int after = json::parse(r->body)["id"];
  // Cancel the second while the first runs, then the first.
  r = s.post(fmt::format("/api/runs/{}/cancel", queued), json::object());
  CHECK(json::parse(r->body)["cancelled"] == true);
  for (;;) {  // the first has started
    const json st = json::parse(s.client().Get(fmt::format("/api/runs/{}", running).c_str())->body);
    if (st["state"] == "running" && st["done"] > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r = s.post(fmt::format("/api/runs/{}/cancel", running), json::object());
  CHECK(json::parse(r->body)["cancelled"] == true);
  CHECK(s.wait_for_end(running)["state"] == "cancelled");
  CHECK(s.wait_for_end(queued)["state"] == "cancelled");
  const json done = s.wait_for_end(after);
  CHECK(done["state"] == "done");
  // Only the last run's files: nothing of the cancelled ones, no temporary file.
  std::vector<fs::path> files = files_in(s.ws() / "results");
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 2);
  CHECK(files[0].extension() == ".h5");
  CHECK(files[1].extension() == ".html");
  CHECK(files[0].string().rfind("tiny-", 0) == 0);
  r = s.post(fmt::format("/api/runs/{}/cancel", after), json::object());
  CHECK(json::parse(r->body)["cancelled"] == false);  // it has ended

  LiveServer limited(serve::RunLimits{1e4, 0});
  r = limited.post("/api/runs", {{"path", "scenarios/tiny.yaml"}});
  CHECK(r->status == 400);
  CHECK(r->body.find("more than this server's limit") != std::string::npos);
  CHECK(files_in(limited.ws() / "results").empty());
}

TEST_CASE("serve: a workspace that is a file or a port out of range is bad input", "[cli]") {
  TempDir d;
  fourp::test::write_file(d / "file", "x");
  auto r = fourp::test::run_fourp({"serve", "--dir", (d / "file").string(), "--port", "0"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--dir " + (d / "file").string() + ": error: not a folder") !=
        std::string::npos);
  r = fourp::test::run_fourp({"serve", "--dir", (d / "ws").string(), "--port", "70000"});
  CHECK(r.exit_code == 2);
  CHECK_FALSE(fs::exists(d / "ws"));  // nothing made
}

TEST_CASE("serve: a run that fails says why, and the server goes on serving", "[unit]") {
  LiveServer s;
  fourp::test::write_file(s.ws() / "results", "a file where the results folder goes");
  auto r = s.post("/api/runs", {{"path", "scenarios/tiny.yaml"}, {"replicates", 1}});
  REQUIRE(r->status == 200);
  const json failed = s.wait_for_end(json::parse(r->body)["id"]);
  CHECK(failed["state"] == "failed");
  CHECK(failed["error"].get<std::string>().find("results") != std::string::npos);
  CHECK(failed["results"] == "");
  fs::remove(s.ws() / "results");
  r = s.post("/api/runs", {{"path", "scenarios/tiny.yaml"}, {"replicates", 1}});
  CHECK(s.wait_for_end(json::parse(r->body)["id"])["state"] == "done");
}
