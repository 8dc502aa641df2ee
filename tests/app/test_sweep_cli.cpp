// `fourp sweep` and `fourp merge` as a user meets them: one file whether the sweep ran in one
// process, under `mpirun -np 3`, as shards merged, or killed and resumed; failed runs recorded
// with exit status 3; bad input refused with exit 2 before any run; nothing overwritten silently.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

#include "output/h5.h"
#include "output/sweep_journal.h"
#include "sim/scenario_parse.h"
#include "sim/sweep.h"
#include "tests/support/test_support.h"

using namespace fourp::test;
namespace fs = std::filesystem;

namespace {

const char* kEpoch = "SOURCE_DATE_EPOCH=1700000000";  // created_utc fixed: files compare by bytes

const char* kScenario = R"(name: small
seed: 5
replicates: 2
steps: 8
population: {size: 400, communities: 2, roles: {at_risk: 0.3}}
trafficking: {approach_rate: 0.02}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, message: {blame: 0.5}, cost: {fixed_per_step: 10}}
  prog: {kind: partnership, recruit_per_step: 3, cost: {fixed_per_step: 5}}
arms: {baseline: [], media: [media], prog: [prog]}
)";

const char* kSweep = R"(scenario: small.yaml
arms: [media, prog]
replicates: 2
design: {kind: latin_hypercube, samples: 6, seed: 7}
parameters:
  model.denial: {min: 0.2, max: 0.9}
  interventions.media.message.blame: {min: 0.0, max: 1.0}
metrics: [exploited_total, prevented_total, engaged_final, cost_total, cost_per_case_averted]
)";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The sweep of `sweep` (YAML) next to the small scenario, in a fresh directory.
void setup(const TempDir& d, const std::string& sweep = kSweep) {
  write_file(d / "small.yaml", kScenario);
  write_file(d / "sweep.yaml", sweep);
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("sweep writes the sweep file and leaves no journal or temporary file", "[cli]") {
  TempDir d;
  setup(d);
  auto r = run_fourp({"sweep", (d / "sweep.yaml").string(), "-o", (d / "out.h5").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("wrote") != std::string::npos);
  CHECK(r.err.find("6 samples x 3 arms x 2 replicates = 36 runs") != std::string::npos);
  // The baseline is added for cost_per_case_averted, with a warning that says so.
  CHECK(r.err.find("warning: the baseline arm 'baseline' is run too") != std::string::npos);
  CHECK(files_in(d.path()) == std::vector<std::string>{"out.h5", "small.yaml", "sweep.yaml"});
  fourp::h5::File f = fourp::h5::File::open(d / "out.h5");
  CHECK(fourp::h5::read_table(f, "summary").rows() == 6 * 3);
  CHECK(fourp::h5::read_table(f, "runs").rows() == 36);
}

TEST_CASE("sweep: the output and the journal are never replaced silently", "[cli]") {
  TempDir d;
  setup(d);
  const std::string sweep = (d / "sweep.yaml").string(), out = (d / "out.h5").string();
  write_file(d / "out.h5", "precious");
  auto r = run_fourp({"sweep", sweep, "-o", out, "-q"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--overwrite") != std::string::npos);
  CHECK(slurp(d / "out.h5") == "precious");
  CHECK_FALSE(fs::exists(d / "out.h5.journal"));

  // A journal left by an interrupted sweep: continue it or start over, never silently.
  fs::remove(d / "out.h5");
  write_file(d / "out.h5.journal", "journal");
  r = run_fourp({"sweep", sweep, "-o", out, "-q"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("continue it with --resume, or start over with --overwrite") !=
        std::string::npos);
  r = run_fourp({"sweep", sweep, "-o", out, "-q", "--resume"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not a fourp sweep journal") != std::string::npos);
  r = run_fourp({"sweep", sweep, "-o", out, "-q", "--overwrite"});
  CHECK(r.exit_code == 0);
  CHECK(files_in(d.path()) == std::vector<std::string>{"out.h5", "small.yaml", "sweep.yaml"});
  // A complete sweep has nothing to resume.
  r = run_fourp({"sweep", sweep, "-o", out, "-q", "--resume"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no journal to resume") != std::string::npos);
}

TEST_CASE("sweep: a bad sweep file is refused before any run with file:line:col", "[cli]") {
  TempDir d;
  setup(d, std::string(kSweep) + "replicate: 3\n");
  auto r = run_fourp({"sweep", (d / "sweep.yaml").string(), "-o", (d / "out.h5").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("sweep.yaml:9:1: error: unknown key 'replicate' (did you mean "
                   "'replicates'?)") != std::string::npos);
  CHECK(files_in(d.path()) == std::vector<std::string>{"small.yaml", "sweep.yaml"});
  r = run_fourp({"sweep", (d / "sweep.yaml").string(), "--shard", "3/3"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("expected I/N with 0 <= I < N") != std::string::npos);
}

TEST_CASE("validate of a sweep file prints its plan - or its errors - and runs nothing", "[cli]") {
  TempDir d;
  setup(d);
  auto r = run_fourp({"validate", (d / "sweep.yaml").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("sweep sweep: latin_hypercube design, 6 samples x 3 arms x 2 replicates = 36 "
                   "runs") != std::string::npos);
  CHECK(r.out.find("common random numbers") != std::string::npos);
  // Which arm reads which parameter: the baseline and prog do not read the campaign's blame.
  CHECK(std::regex_search(r.out, std::regex("interventions\\.media\\.message\\.blame +0 +1  -"
                                            " +reads  -\n")));
  CHECK(std::regex_search(r.out, std::regex("model\\.denial +0\\.2\\d* +0\\.9\\d*  reads +reads"
                                            " +reads\n")));
  CHECK(files_in(d.path()) == std::vector<std::string>{"small.yaml", "sweep.yaml"});
  // Errors as for `fourp sweep`; --set is for scenarios.
  setup(d, std::string(kSweep) + "replicate: 3\n");
  r = run_fourp({"validate", (d / "sweep.yaml").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("sweep.yaml:9:1: error: unknown key 'replicate'") != std::string::npos);
  setup(d);
  r = run_fourp({"validate", (d / "sweep.yaml").string(), "--set", "steps=4"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set is for scenarios") != std::string::npos);
  // A scenario is still printed whole.
  r = run_fourp({"validate", (d / "small.yaml").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("name: \"small\"") != std::string::npos);
}

TEST_CASE("sweep of an uncertain scenario: validate names the drawn parameters and shards merge",
          "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", std::string(kScenario) + R"(uncertainty:
  model.denial: {beta: {mean: 0.6, sd: 0.15}}
  trafficking.approach_rate: {uniform: {min: 0.01, max: 0.03}}
)");
  write_file(d / "sweep.yaml", kSweep);  // sweeps model.denial
  const std::string sweep = (d / "sweep.yaml").string();
  auto r = run_fourp({"validate", sweep});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("drawn per replicate, the same for every arm (replicate r of every sample "
                   "draws the same values):") != std::string::npos);
  CHECK(std::regex_search(r.out, std::regex("\n  trafficking\\.approach_rate +uniform\\(min "
                                            "0\\.01, max 0\\.03\\) +0\\.011 +0\\.02 +0\\.029\n")));
  CHECK(r.out.find("uncertain in the scenario but fixed by the sweep, not drawn: model.denial\n") !=
        std::string::npos);
  CHECK(r.err.find("model.denial is swept: each sample fixes it") != std::string::npos);

  // `fourp merge` finds the drawn parameters in the stored scenario: the whole file again.
  r = run_fourp({"sweep", sweep, "-o", (d / "whole.h5").string(), "-q"}, {kEpoch});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> shards;
  for (int i = 0; i < 2; ++i) {
    shards.push_back((d / fmt::format("s{}.h5", i)).string());
    r = run_fourp({"sweep", sweep, "--shard", fmt::format("{}/2", i), "-o", shards.back(), "-q"},
                  {kEpoch});
    REQUIRE(r.exit_code == 0);
  }
  r = run_fourp({"merge", shards[1], shards[0], "-o", (d / "merged.h5").string()}, {kEpoch});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(slurp(d / "merged.h5") == slurp(d / "whole.h5"));
  fourp::h5::File f = fourp::h5::File::open(d / "whole.h5");
  CHECK(fourp::h5::read_attr<std::vector<std::string>>(f, "drawn_parameters") ==
        std::vector<std::string>{"trafficking.approach_rate"});
}

TEST_CASE("sweep: shards 0/3 1/3 2/3 merged are the whole sweep and merge checks them", "[cli]") {
  TempDir d;
  setup(d);
  const std::string sweep = (d / "sweep.yaml").string();
  auto r = run_fourp({"sweep", sweep, "-o", (d / "whole.h5").string(), "-q"}, {kEpoch});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> shards;
  for (int i = 0; i < 3; ++i) {
    shards.push_back((d / fmt::format("s{}.h5", i)).string());
    r = run_fourp({"sweep", sweep, "--shard", fmt::format("{}/3", i), "-o", shards.back(), "-q"},
                  {kEpoch});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  r = run_fourp({"merge", shards[1], shards[2], shards[0], "-o", (d / "merged.h5").string()},
                {kEpoch});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(slurp(d / "merged.h5") == slurp(d / "whole.h5"));

  r = run_fourp({"merge", shards[0], shards[1], "-o", (d / "m.h5").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("missing shard 2/3") != std::string::npos);

  // A shard of another sweep file (another design seed) is refused by its hash.
  TempDir e;
  setup(e, std::regex_replace(std::string(kSweep), std::regex("seed: 7"), "seed: 8"));
  r = run_fourp(
      {"sweep", (e / "sweep.yaml").string(), "--shard", "2/3", "-o", (e / "s2.h5").string(), "-q"});
  REQUIRE(r.exit_code == 0);
  r = run_fourp(
      {"merge", shards[0], shards[1], (e / "s2.h5").string(), "-o", (d / "m.h5").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("a shard of a different sweep") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "m.h5"));
}

TEST_CASE("sweep: serial and `mpirun -np 3` write identical files", "[cli][mpi]") {
  if (shell("command -v mpirun >/dev/null 2>&1") != 0)
    return skip_or_fail("mpirun not found: the MPI test cannot run");
  TempDir d;
  // Long enough (about 200 tasks) that every rank gets tasks.
  setup(d, std::regex_replace(std::string(kSweep), std::regex("samples: 6"), "samples: 100"));
  const std::string sweep = (d / "sweep.yaml").string();
  auto r = run_fourp({"sweep", sweep, "-o", (d / "serial.h5").string(), "-q"}, {kEpoch});
  REQUIRE(r.exit_code == 0);
  const fs::path log = d / "mpi.log";
  const int status = shell(fmt::format(
      "{} mpirun --allow-run-as-root --oversubscribe -np 3 {} sweep {} -o {} --threads 1 "
      ">{} 2>&1 </dev/null",
      kEpoch, quote(FOURP_EXE), quote(sweep), quote((d / "mpi.h5").string()), quote(log.string())));
  const std::string out = slurp(log);
  INFO(out);
  if (out.find("built without MPI") != std::string::npos)
    return skip_or_fail("fourp was built without MPI (OpenMPI missing at configure time)");
  REQUIRE(status == 0);
  CHECK(slurp(d / "mpi.h5") == slurp(d / "serial.h5"));
  // Rank 0 handed tasks out: every task ran once, on more than one rank.
  std::smatch m;
  REQUIRE(
      std::regex_search(out, m, std::regex("tasks run by each MPI rank: (\\d+), (\\d+), (\\d+)")));
  const int a = std::stoi(m[1]), b = std::stoi(m[2]), c = std::stoi(m[3]);
  CHECK(a + b + c == 200);
  CHECK((a > 0) + (b > 0) + (c > 0) >= 2);
}

TEST_CASE("sweep: killed at random points and resumed the file is the uninterrupted one",
          "[cli][slow]") {
  TempDir d;
  // About a second of runs, so that kills land before, during and after them.
  setup(d, std::regex_replace(std::string(kSweep), std::regex("samples: 6"), "samples: 60") +
               "set: {steps: 30}\n");
  const std::string sweep = (d / "sweep.yaml").string();
  const auto t0 = std::chrono::steady_clock::now();
  auto r = run_fourp({"sweep", sweep, "-o", (d / "whole.h5").string(), "-q"}, {kEpoch});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(r.exit_code == 0);

  std::mt19937 rng(std::random_device{}());
  std::uniform_real_distribution<double> when(0.05, 1.0);
  int killed = 0;
  for (int attempt = 0; attempt < 4; ++attempt) {
    // The first kill early, so that one lands mid-sweep even when the machine has become faster
    // than during the timed run (a loaded CI machine once let all four random ones finish).
    const double delay = (attempt == 0 ? 0.1 : when(rng)) * seconds;
    const std::string out = (d / fmt::format("killed{}.h5", attempt)).string();
    INFO("killed after " << delay << " s of about " << seconds << " s");
    // SIGKILL: no handler runs; only what the journal synced survives.
    const int status =
        shell(fmt::format("({} {} sweep {} -o {} -q </dev/null >/dev/null 2>&1 & "
                          "p=$!; sleep {:.3f}; kill -9 $p; wait $p) 2>/dev/null",
                          kEpoch, quote(FOURP_EXE), quote(sweep), quote(out), delay));
    if (status == 0) {  // it finished before the kill
      CHECK(slurp(out) == slurp(d / "whole.h5"));
      continue;
    }
    ++killed;
    CHECK(status == 128 + 9);
    if (fs::exists(out)) {
      // Killed after the finished file was renamed into place, before the process exited: the
      // file is the complete sweep, never a part of it. A journal left beside it resumes to the
      // same bytes; without one the sweep is done.
      CHECK(slurp(out) == slurp(d / "whole.h5"));
      if (!fs::exists(out + ".journal")) continue;
    }
    r = run_fourp({"sweep", sweep, "-o", out, "--resume"}, {kEpoch});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(slurp(out) == slurp(d / "whole.h5"));
    CHECK_FALSE(fs::exists(out + ".journal"));
  }
  CHECK(killed > 0);
}

TEST_CASE("sweep: killed at each step of writing the file it is absent or whole and resumes",
          "[cli][slow]") {
  // The random kills above rarely land in the last milliseconds, when the finished file is
  // linked into place and the temporary name and the journal are removed; strace's fault
  // injection kills the process exactly at the n-th of those calls.
  if (shell("strace -f -qq -o /dev/null true >/dev/null 2>&1") != 0)
    return skip_or_fail("strace is missing or cannot trace here");
  TempDir d;
  setup(d);
  const std::string sweep = (d / "sweep.yaml").string();
  auto r = run_fourp({"sweep", sweep, "-o", (d / "whole.h5").string(), "-q"}, {kEpoch});
  REQUIRE(r.exit_code == 0);
  const std::string whole = slurp(d / "whole.h5");
  // strace counts each system call on its own: kill at the n-th call of one name at a time.
  int kills = 0;
  for (const char* call :
       {"link", "linkat", "rename", "renameat", "renameat2", "unlink", "unlinkat"})
    for (int n = 1;; ++n) {
      TempDir k;
      setup(k);
      const std::string out = (k / "out.h5").string();
      INFO("killed at " << call << " number " << n);
      const int status = shell(fmt::format(
          "{} strace -f -qq -o /dev/null -e trace={} -e inject={}:signal=KILL:when={} "
          "{} sweep {} -o {} -q </dev/null >/dev/null 2>&1",
          kEpoch, call, call, n, quote(FOURP_EXE), quote((k / "sweep.yaml").string()), quote(out)));
      if (status == 0) break;  // finished: there was no n-th call
      ++kills;
      CHECK(status == 128 + 9);
      if (fs::exists(out)) CHECK(slurp(out) == whole);  // visible only when complete
      const bool resume = fs::exists(out + ".journal");
      if (!resume && !fs::exists(out)) {
        // Killed while the journal was being linked into place: no run had been recorded, and
        // nothing is left to resume or to remove; the sweep starts again.
        CHECK(files_in(k.path()) == std::vector<std::string>{"small.yaml", "sweep.yaml"});
        r = run_fourp({"sweep", (k / "sweep.yaml").string(), "-o", out, "-q"}, {kEpoch});
        REQUIRE(r.exit_code == 0);
      }
      if (resume) {
        r = run_fourp({"sweep", (k / "sweep.yaml").string(), "-o", out, "--resume", "-q"},
                      {kEpoch});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK_FALSE(fs::exists(out + ".journal"));
        // A temporary file the kill left behind went with the resumed write.
        for (const std::string& name : files_in(k.path()))
          CHECK(name.find(".tmp-") == std::string::npos);
      }
      REQUIRE(fs::exists(out));
      CHECK(slurp(out) == whole);
    }
  // At least the link into place and the removals of the temporary name and of the journal.
  CHECK(kills >= 3);
}

TEST_CASE("sweep: killed while its journal is being made it leaves none or a whole one",
          "[cli][slow]") {
  // The journal's header is written (pwrite64) and synced (fdatasync) before the journal has
  // its name: a kill at either leaves no journal, and the sweep starts again; never a journal
  // whose header is torn, which --resume would refuse.
  if (shell("strace -f -qq -o /dev/null true >/dev/null 2>&1") != 0)
    return skip_or_fail("strace is missing or cannot trace here");
  for (const char* call : {"pwrite64", "fdatasync"}) {
    TempDir k;
    setup(k);
    const std::string out = (k / "out.h5").string();
    INFO("killed at the first " << call);
    const int status = shell(fmt::format(
        "{} strace -f -qq -o /dev/null -e trace={} -e inject={}:signal=KILL:when=1 "
        "{} sweep {} -o {} -q </dev/null >/dev/null 2>&1",
        kEpoch, call, call, quote(FOURP_EXE), quote((k / "sweep.yaml").string()), quote(out)));
    CHECK(status == 128 + 9);
    CHECK_FALSE(fs::exists(out + ".journal"));
    auto r =
        run_fourp({"sweep", (k / "sweep.yaml").string(), "-o", out, "--resume", "-q"}, {kEpoch});
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("sweep: failed runs are recorded with their error - the others complete - exit 3",
          "[cli]") {
  TempDir d;
  setup(d);
  auto r = run_fourp({"sweep", (d / "sweep.yaml").string(), "-o", (d / "out.h5").string()},
                     {"FOURP_SWEEP_FAIL_RUNS=4,20"});
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("run 4 (sample 0, arm media, replicate 1) failed: injected failure") !=
        std::string::npos);
  CHECK(r.out.find("36 runs, 2 failed") != std::string::npos);
  fourp::h5::File f = fourp::h5::File::open(d / "out.h5");
  CHECK(fourp::h5::read_attr<uint64_t>(f, "failed_runs") == 2);
  const auto runs = fourp::h5::read_table(f, "runs");
  for (const auto& field : runs.fields) {
    if (field.name == "ok")
      for (size_t k = 0; k < runs.rows(); ++k)
        CHECK(field.numbers[k] == ((k == 4 || k == 20) ? 0 : 1));
    if (field.name == "error") CHECK_THAT(field.strings[20], Catch::Contains("injected failure"));
  }
  const auto summary = fourp::h5::read_table(f, "summary");
  for (const auto& field : summary.fields)
    if (field.name == "replicates_failed") CHECK(field.numbers[1] == 1);  // sample 0, media
}

TEST_CASE("sweep: --resume keeps recorded failures and --retry-failed runs them again", "[cli]") {
  TempDir d;
  setup(d);
  const std::string sweep = (d / "sweep.yaml").string(), out = (d / "out.h5").string();
  fourp::Diagnostics diag;
  const fourp::SweepPlan plan = fourp::parse_sweep_file(sweep, catalog(), {}, diag);
  REQUIRE_FALSE(diag.has_errors());
  auto journal_with_a_failure = [&] {
    fourp::SweepJournal j = fourp::SweepJournal::create(out + ".journal", plan.layout, 0, 1);
    j.write(fourp::RunRecord{7, false, {}, "out of memory"});
    j.sync();
  };
  journal_with_a_failure();
  auto r = run_fourp({"sweep", sweep, "-o", out, "-q", "--resume"});
  CHECK(r.exit_code == 3);
  {
    fourp::h5::File f = fourp::h5::File::open(out);
    CHECK(fourp::h5::read_attr<uint64_t>(f, "failed_runs") == 1);
  }
  fs::remove(out);
  journal_with_a_failure();
  r = run_fourp({"sweep", sweep, "-o", out, "-q", "--resume", "--retry-failed"});
  CHECK(r.exit_code == 0);
  fourp::h5::File f = fourp::h5::File::open(out);
  CHECK(fourp::h5::read_attr<uint64_t>(f, "failed_runs") == 0);
}

TEST_CASE("sweep: --resume says how many damaged journal records it dropped", "[cli]") {
  TempDir d;
  setup(d);
  const std::string sweep = (d / "sweep.yaml").string(), out = (d / "out.h5").string();
  fourp::Diagnostics diag;
  const fourp::SweepPlan plan = fourp::parse_sweep_file(sweep, catalog(), {}, diag);
  REQUIRE_FALSE(diag.has_errors());
  {
    fourp::SweepJournal j = fourp::SweepJournal::create(out + ".journal", plan.layout, 0, 1);
    j.write(fourp::RunRecord{0, true, std::vector<double>(plan.layout.totals.size(), 1.0), ""});
    j.write(fourp::RunRecord{1, true, std::vector<double>(plan.layout.totals.size(), 2.0), ""});
    j.sync();
  }
  {  // run 1's slot torn: one byte of its totals changed
    std::fstream f(out + ".journal", std::ios::in | std::ios::out | std::ios::binary);
    const size_t slot =
        (16 + 8 * plan.layout.totals.size() + fourp::kJournalErrorBytes + 8 + 7) / 8 * 8;
    f.seekp(static_cast<std::streamoff>(4096 + slot + 24));
    f.put('\x7f');
  }
  const auto r = run_fourp({"sweep", sweep, "-o", out, "--resume"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("1 of " + std::to_string(plan.layout.runs()) +
                                    " runs recorded, 1 damaged record dropped (those runs run "
                                    "again)"));
}

TEST_CASE("report of a sweep file: the sweep page", "[cli]") {
  TempDir d;
  setup(d, std::regex_replace(std::string(kSweep), std::regex("latin_hypercube, samples: 6"),
                              "sobol, samples: 4"));
  auto r = run_fourp({"sweep", (d / "sweep.yaml").string(), "-o", (d / "s.h5").string()});
  REQUIRE(r.exit_code == 0);
  INFO(r.out);
  // How far the indices can be trusted, said when the file is written: 3 arms (with the baseline
  // for cost_per_case_averted) x 5 metrics; the baseline and prog do not read the blame, so of
  // 3 x 2 parameter-arm pairs 4 are read: 2 x 4 x 5 = 40 indices; 4 base points settle none
  // (fewer than 32 never do).
  CHECK(r.out.find("Sobol' indices: 0 of 40 determined (first order and total, over 3 arms x 5 "
                   "metrics; 2 parameter-arm pairs not used)") != std::string::npos);
  r = run_fourp({"report", (d / "s.h5").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const std::string html = slurp(d / "s.html");
  CHECK(html.find("Sweep: sweep") != std::string::npos);
  CHECK(html.find("Sobol' indices") != std::string::npos);
  r = run_fourp({"report", (d / "s.h5").string(), "--csv", (d / "csv").string(), "--overwrite"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--csv is for results files") != std::string::npos);
}
