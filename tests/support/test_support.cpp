#include "tests/support/test_support.h"

#include "output/calibration_results.h"
#include "sim/uncertainty.h"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

#include "sim/scenario_parse.h"

namespace fourp::test {

// As the program does (app/main.cpp): scenarios may draw from a calibration's results.
[[maybe_unused]] const bool kReaderInstalled =
    (set_joint_sample_reader(read_posterior_sample), true);

Scenario scenario_from_yaml(const std::string& yaml, const std::string& name) {
  Diagnostics diag;
  Scenario s = parse_scenario_text(yaml, name, catalog(), {}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return s;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("fourp-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

bool missing_tools_fail() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

void skip_or_fail(const std::string& reason) {
  if (missing_tools_fail())
    FAIL(reason << " (CI=true: scripts/install-deps.sh installs every tool the tests need, so "
                   "under CI a missing one fails the test instead of skipping it)");
  WARN(reason << ": skipped (under CI=true this fails; scripts/install-deps.sh installs it)");
}

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace

namespace {
CommandResult run_fourp_as(const std::string& launcher, const std::vector<std::string>& args,
                           const std::vector<std::string>& env) {
  TempDir io;
  std::string cmd;
  for (const auto& e : env) cmd += shell_quote(e) + " ";
  if (!env.empty()) cmd = "env " + cmd;
  cmd += launcher + shell_quote(FOURP_EXE);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote((io / "out").string()) + " 2>" + shell_quote((io / "err").string()) +
         " </dev/null";
  int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(io / "out");
  r.err = slurp(io / "err");
  return r;
}
}  // namespace

CommandResult run_fourp(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  return run_fourp_as("", args, env);
}

CommandResult mpirun_fourp(int ranks, const std::vector<std::string>& args) {
  return run_fourp_as(
      "mpirun --allow-run-as-root --oversubscribe -np " + std::to_string(ranks) + " ", args, {});
}

}  // namespace fourp::test
