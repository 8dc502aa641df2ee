// The `fourp` program as a user meets it: exit statuses, error messages with file:line:col,
// no output on bad input or interruption, no surprise overwrite, validate's full scenario.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <filesystem>
#include <fstream>

#include "tests/support/test_support.h"

using namespace fourp::test;
namespace fs = std::filesystem;

namespace {
const char* kSmall = R"(name: small
seed: 5
replicates: 2
steps: 8
population: {size: 400, communities: 2}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, cost: {fixed_per_step: 10}}
arms: {baseline: [], media: [media]}
outputs: {snapshots: [0, 8]}
)";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool only(const fs::path& dir, const std::vector<std::string>& names) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++n;
    if (std::find(names.begin(), names.end(), e.path().filename().string()) == names.end())
      return false;
  }
  return n == names.size();
}
}  // namespace

TEST_CASE("run writes a results file and prints a summary per arm", "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  auto r = run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "out.h5").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(d / "out.h5"));
  CHECK(r.out.find("baseline") != std::string::npos);
  CHECK(r.out.find("media") != std::string::npos);
  CHECK(only(d.path(), {"small.yaml", "out.h5"}));  // no temporary file left behind
}

TEST_CASE("an existing results file is not replaced without --overwrite", "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  write_file(d / "out.h5", "precious");
  auto r = run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "out.h5").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--overwrite") != std::string::npos);
  CHECK(slurp(d / "out.h5") == "precious");
  r = run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "out.h5").string(), "--overwrite",
                 "--quiet"});
  CHECK(r.exit_code == 0);
  CHECK(slurp(d / "out.h5") != "precious");
  CHECK(r.out.empty());  // --quiet
}

TEST_CASE("bad scenario: file:line:col error, exit 2, nothing written", "[cli]") {
  TempDir d;
  write_file(d / "bad.yaml", std::string(kSmall) + "modle: {denial: 0.5}\n");
  auto r = run_fourp({"run", (d / "bad.yaml").string(), "-o", (d / "out.h5").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.yaml:10:1: error: unknown key 'modle'") != std::string::npos);
  CHECK(r.err.find("did you mean 'model'") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "out.h5"));
  CHECK(only(d.path(), {"bad.yaml"}));
}

TEST_CASE("bad --set: named in the error, exit 2", "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  auto r = run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "o.h5").string(), "--set",
                      "model.denail=0.5"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("model.denail") != std::string::npos);
  CHECK(r.err.find("model.denial") != std::string::npos);
  r = run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "o.h5").string(), "--set",
                 "model.denial=1.5"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("[0, 1]") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "o.h5"));
}

TEST_CASE("usage errors exit 2, help exits 0 and teaches", "[cli]") {
  CHECK(run_fourp({}).exit_code == 2);
  CHECK(run_fourp({"run"}).exit_code == 2);
  CHECK(run_fourp({"frobnicate"}).exit_code == 2);
  CHECK(run_fourp({"run", "x.yaml", "--threads", "lots"}).exit_code == 2);
  auto h = run_fourp({"--help"});
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("Examples") != std::string::npos);
  CHECK(run_fourp({"run", "--help"}).out.find("--overwrite") != std::string::npos);
}

TEST_CASE("missing scenario file: exit 2", "[cli]") {
  auto r = run_fourp({"run", "/nonexistent/x.yaml", "-o", "/tmp/never.h5"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/nonexistent/x.yaml") != std::string::npos);
}

TEST_CASE("unknown arm in --arms: exit 2 with a suggestion", "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  auto r = run_fourp(
      {"run", (d / "small.yaml").string(), "-o", (d / "o.h5").string(), "--arms", "medai"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("did you mean 'media'") != std::string::npos);
}

TEST_CASE("validate prints the scenario with every default filled in", "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  auto r = run_fourp({"validate", (d / "small.yaml").string()});
  CHECK(r.exit_code == 0);
  for (const char* key : {"kappa_a", "denial", "approach_rate", "guardian_protection",
                          "local_relevance", "household_size", "within_degree"})
    CHECK(r.out.find(key) != std::string::npos);
  // ... and what it prints is itself a valid scenario that validates to the same text.
  write_file(d / "full.yaml", r.out);
  auto again = run_fourp({"validate", (d / "full.yaml").string()});
  CHECK(again.exit_code == 0);
  CHECK(again.out == r.out);
}

TEST_CASE("validate prints each uncertain parameter's 5-50-95% points and round-trips", "[cli]") {
  TempDir d;
  write_file(d / "psa.yaml", std::string(kSmall) +
                                 "uncertainty:\n  model.social_weight: {uniform: {min: 0.1, max: "
                                 "0.3}}\n  model.denial: {beta: {mean: 0.6, sd: 0.1}}\n");
  auto r = run_fourp({"validate", (d / "psa.yaml").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("uncertainty:") != std::string::npos);
  CHECK(r.out.find("model.denial: {beta: {mean: 0.6, sd: 0.1}}") != std::string::npos);
  const auto row = r.out.find("# model.social_weight");
  REQUIRE(row != std::string::npos);
  const std::string line = r.out.substr(row, r.out.find('\n', row) - row);
  CHECK(line.find("uniform(min 0.1, max 0.3)") != std::string::npos);
  for (const char* q : {" 0.11", " 0.2", " 0.29"}) CHECK(line.find(q) != std::string::npos);
  write_file(d / "full.yaml", r.out);
  auto again = run_fourp({"validate", (d / "full.yaml").string()});
  CHECK(again.exit_code == 0);
  CHECK(again.out == r.out);
  // --set fixes a path: a note on stderr, and the path leaves the section.
  auto fixed = run_fourp({"validate", (d / "psa.yaml").string(), "--set", "model.denial=0.5"});
  CHECK(fixed.exit_code == 0);
  CHECK(fixed.err.find("model.denial is fixed by --set; its uncertainty is not drawn") !=
        std::string::npos);
  CHECK(fixed.out.find("model.denial: {beta") == std::string::npos);
}

TEST_CASE("the same run on 1 and 2 threads writes byte-identical files", "[cli]") {
  // SOURCE_DATE_EPOCH fixes created_utc, the only value that may differ between two runs.
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  auto run = [&](const std::string& out, const std::string& threads, const std::string& seed) {
    return run_fourp({"run", (d / "small.yaml").string(), "-o", (d / out).string(), "--threads",
                      threads, "--seed", seed, "--quiet"},
                     {"SOURCE_DATE_EPOCH=1700000000"})
        .exit_code;
  };
  REQUIRE(run("one.h5", "1", "5") == 0);
  REQUIRE(run("two.h5", "2", "5") == 0);
  REQUIRE(run("other.h5", "2", "6") == 0);
  const std::string one = slurp(d / "one.h5");
  CHECK(one.size() > 1000);
  CHECK(one == slurp(d / "two.h5"));
  CHECK(one != slurp(d / "other.h5"));  // another seed differs, so the comparison can fail
}

TEST_CASE("an interrupted run (Ctrl-C, kill) leaves no results file", "[cli]") {
  TempDir d;
  write_file(d / "long.yaml", R"(name: long
replicates: 50
steps: 500
population: {size: 100000, communities: 10}
arms: {baseline: []}
)");
  for (const char* sig : {"INT", "TERM"}) {
    INFO("signal " << sig);
    const std::string cmd = std::string("timeout --preserve-status -s ") + sig + " 2 " + FOURP_EXE +
                            " run " + (d / "long.yaml").string() + " -o " +
                            (d / "out.h5").string() + " --quiet";
    const int status = std::system(cmd.c_str());
    // 128 + signal number, as shells report it: neither success nor bad input
    CHECK(WEXITSTATUS(status) == (std::string(sig) == "INT" ? 130 : 143));
    CHECK(only(d.path(), {"long.yaml"}));
  }
}

TEST_CASE("every bad scenario in tests/data/bad: exit 2, file:line:col, nothing written", "[cli]") {
  // The parser tests check each message exactly; here the program's contract for all of them.
  const fs::path dir = fs::path(FOURP_TEST_DATA) / "bad";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    TempDir out;
    const std::string name = entry.path().filename().string();
    INFO(name);
    auto r = run_fourp({"run", entry.path().string(), "-o", (out / "r.h5").string()});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(name + ":") != std::string::npos);
    CHECK(r.err.find("error: ") != std::string::npos);
    CHECK(r.out.empty());
    CHECK(fs::is_empty(out.path()));
    CHECK(run_fourp({"validate", entry.path().string()}).exit_code == 2);
  }
  CHECK(files >= 20);
}
