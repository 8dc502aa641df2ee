// The report in a real browser: headless Chromium opens it, takes a screenshot of the expected
// size that is not blank, renders every section (its DOM), and logs no console message (no
// script error, no failed resource: every host name is unresolvable, so a network request
// would fail loudly). Skipped, with a warning, only when chromium is not installed (CI installs
// it: scripts/install-deps.sh).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "output/report_html.h"
#include "output/results_file.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;
namespace fs = std::filesystem;

namespace {

const char* kScenario = R"(name: browser-check
description: A small district for the browser test.
seed: 4
replicates: 3
steps: 20
population: {size: 500, communities: 3}
trafficking: {approach_rate: 0.02}
interventions:
  media: {kind: outsider_campaign, reach: 0.3, message: {blame: 0.5}, cost: {fixed_per_step: 50}}
  partnership: {kind: partnership, target: {communities: [0]}, cost: {fixed_per_step: 20}}
arms: {baseline: [], media: [media], partnership: [partnership]}
outputs: {by_community: true, snapshots: [0]}
)";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (::access(p, X_OK) == 0) return p;
  return "";
}

// Headless Chromium as BUILD-NOTES.md runs it (as root: no sandbox), isolated from the network:
// no background traffic, and every host name resolves to nothing.
std::string chromium_command(const std::string& exe, const fs::path& profile,
                             const std::string& action, const fs::path& page, const fs::path& out,
                             const fs::path& log) {
  return fmt::format(
      "timeout 120 '{}' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--host-resolver-rules='MAP * ~NOTFOUND' --hide-scrollbars --user-data-dir='{}' "
      "--window-size=1280,2000 --enable-logging=stderr --v=0 {} 'file://{}' >'{}' 2>'{}'",
      exe, profile.string(), action, page.string(), out.string(), log.string());
}

uint32_t big_endian(const std::string& s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
         (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

// Lines of Chromium's log that report a problem with the page: console messages (the report has
// no script, so any is unexpected: an error, a failed load), uncaught exceptions.
std::vector<std::string> page_problems(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos ||
        line.find("ERR_") != std::string::npos)
      out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("browser: Chromium renders the report offline without errors", "[browser]") {
  const std::string exe = chromium();
  if (exe.empty()) return skip_or_fail("chromium not found: the browser test");
  TempDir d;
  write_file(d / "s.yaml", kScenario);
  auto run = run_fourp({"run", (d / "s.yaml").string(), "-o", (d / "r.h5").string(), "--report",
                        (d / "report.html").string(), "-q"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const fs::path page = fs::absolute(d / "report.html");

  // 1. A screenshot of the window size: a PNG whose IHDR says 1280 × 2000, and far larger than
  //    a blank page of that size (about 10 KB) would compress to.
  const std::string shot =
      chromium_command(exe, d / "profile1", "--screenshot='" + (d / "shot.png").string() + "'",
                       page, d / "shot.out", d / "shot.log");
  INFO(shot);
  const int status = std::system(shot.c_str());
  const std::string log = slurp(d / "shot.log");
  INFO(log);
  REQUIRE(status == 0);
  const std::string png = slurp(d / "shot.png");
  REQUIRE(png.size() > 33);
  CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  CHECK(png.substr(12, 4) == "IHDR");
  CHECK(big_endian(png, 16) == 1280);
  CHECK(big_endian(png, 20) == 2000);
  CHECK(png.size() > 40000);
  CHECK(page_problems(log).empty());

  // 2. The DOM after rendering: every section and chart is there.
  const std::string dump =
      chromium_command(exe, d / "profile2", "--dump-dom", page, d / "dom.html", d / "dom.log");
  REQUIRE(std::system(dump.c_str()) == 0);
  const std::string dom = slurp(d / "dom.html");
  const std::string dom_log = slurp(d / "dom.log");
  INFO(dom_log);
  for (const char* id : {"compared", "findings", "series", "totals", "decision", "communities",
                         "network", "caveats"})
    CHECK(dom.find(std::string("<section id=\"") + id + "\">") != std::string::npos);
  size_t charts = 0;
  for (size_t at = dom.find("<svg"); at != std::string::npos; at = dom.find("<svg", at + 1))
    ++charts;
  // series, forests, plane, decision plane and acceptability curves, heat maps, degrees
  CHECK(charts == 7 + 2 + 1 + 2 + 3 + 1);
  CHECK(page_problems(dom_log).empty());
}
