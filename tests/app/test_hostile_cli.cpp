// The `fourp` program against hostile input and dangerous output names: bad bytes end in exit 2
// within a stated memory ceiling (measured, not timed), outputs replace only regular files that
// are no input of the command, and `report` repairs or refuses a damaged results file.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "output/h5.h"
#include "sim/yaml_document.h"
#include "tests/support/test_support.h"

using namespace fourp::test;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

#if defined(__SANITIZE_ADDRESS__)
#define FOURP_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FOURP_TEST_ASAN 1
#endif
#endif

namespace {

const char* kSmall = R"(name: small
seed: 5
replicates: 2
steps: 8
population: {size: 400, communities: 2}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, cost: {fixed_per_step: 10}}
arms: {baseline: [], media: [media]}
)";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The README's promise: validating any file within the input limits stays under this.
constexpr long kValidateCeilingKiB = 256 * 1024;

struct Measured {
  int exit_code = -1;
  long max_rss_kib = 0;
};

// Runs `fourp validate file` in a child and reads its peak resident memory from wait4(2). A CPU
// limit and (without AddressSanitizer, which reserves terabytes of address space) an address-
// space limit keep a regression from taking the machine down; neither is the assertion.
Measured validate_measured(const fs::path& file) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    rlimit cpu{30, 30};
    setrlimit(RLIMIT_CPU, &cpu);
#ifndef FOURP_TEST_ASAN
    rlimit as{rlim_t{2} << 30, rlim_t{2} << 30};
    setrlimit(RLIMIT_AS, &as);
#endif
    const int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(FOURP_EXE, FOURP_EXE, "validate", file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  REQUIRE(wait4(pid, &status, 0, &usage) == pid);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status), usage.ru_maxrss};
}

}  // namespace

TEST_CASE("hostile files: exit 2, an error at a place, under the memory ceiling", "[cli]") {
  TempDir d;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(FOURP_TEST_DATA) / "hostile"))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  // Random bytes (the report: 40 KB of /dev/urandom, 20 s and 7 GB), random valid UTF-8 made of
  // YAML's indicators, and files at the limits.
  std::mt19937 rng(61);
  for (int k = 0; k < 4; ++k) {
    std::string bytes(40000, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (k == 0) bytes[0] = ',';
    files.push_back(d / fmt::format("random-{}.yaml", k));
    write_file(files.back(), bytes);
    const std::string alphabet = " \n\t-:[]{},&*!#\"'abc?|>%@`";
    std::string text(fourp::kMaxInputBytes - 16, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    if (k == 0) text[0] = ',';
    files.push_back(d / fmt::format("indicators-{}.yaml", k));
    write_file(files.back(), text);
  }
  std::string values = "outputs:\n  snapshots:\n";
  while (values.size() < 49'000 * 6) values += "  - x\n";
  files.push_back(d / "near-value-limit.yaml");
  write_file(files.back(), values);
  files.push_back(d / "one-long-scalar.yaml");
  write_file(files.back(),
             "description: " + std::string(fourp::kMaxInputBytes - 30, 'a') + "\nsead: 1\n");
  files.push_back(d / "over-size-limit.yaml");
  write_file(files.back(), std::string(fourp::kMaxInputBytes + 1, '['));

  for (const fs::path& f : files) {
    INFO(f.filename().string());
    const Measured m = validate_measured(f);
    CHECK(m.exit_code == 2);
#ifndef FOURP_TEST_ASAN
    CHECK(m.max_rss_kib < kValidateCeilingKiB);
#endif
    auto r = run_fourp({"run", f.string(), "-o", (d / "never.h5").string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(f.filename().string() + ":"));
    CHECK_THAT(r.err, Contains("error: "));
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(d / "never.h5"));
  }
}

TEST_CASE("a million bad list entries print 50 errors and a count", "[cli]") {
  TempDir d;
  std::string text = std::string(kSmall) + "outputs:\n  snapshots: [";
  for (int i = 0; i < 40000; ++i) text += "x,";
  write_file(d / "s.yaml", text + "]\n");
  auto r = run_fourp({"validate", (d / "s.yaml").string()});
  CHECK(r.exit_code == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 51);
  CHECK_THAT(r.err, Contains("… and 39950 more errors in this file"));
}

TEST_CASE("a scenario with CR line ends runs like one with LF", "[cli]") {
  TempDir d;
  std::string cr = kSmall;
  std::replace(cr.begin(), cr.end(), '\n', '\r');
  write_file(d / "cr.yaml", cr);
  write_file(d / "lf.yaml", kSmall);
  auto a = run_fourp({"validate", (d / "cr.yaml").string()});
  INFO(a.err);
  CHECK(a.exit_code == 0);  // was: "the file is empty"
  CHECK(a.out == run_fourp({"validate", (d / "lf.yaml").string()}).out);
}

TEST_CASE(
    "with --overwrite only regular files are replaced: not a device, FIFO, socket or directory",
    "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  const std::string scenario = (d / "small.yaml").string();
  REQUIRE(mkfifo((d / "fifo").c_str(), 0644) == 0);
  fs::create_directory(d / "dir");
  for (const std::string& target :
       {(d / "fifo").string(), std::string("/dev/null"), (d / "dir").string()}) {
    INFO(target);
    auto r = run_fourp({"run", scenario, "-o", target, "--overwrite", "-q"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(target + ": error: is a"));
  }
  CHECK(fs::is_fifo(d / "fifo"));  // was: a regular file of HDF5 in its place
  CHECK(fs::is_character_file("/dev/null"));
  CHECK(fs::is_directory(d / "dir"));
  // report's outputs too.
  REQUIRE(run_fourp({"run", scenario, "-o", (d / "r.h5").string(), "-q"}).exit_code == 0);
  auto r = run_fourp({"report", (d / "r.h5").string(), "-o", (d / "fifo").string(), "--overwrite"});
  CHECK(r.exit_code == 2);
  CHECK(fs::is_fifo(d / "fifo"));
}

TEST_CASE("no output replaces an input of the same command, even with --overwrite or a link",
          "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  const std::string scenario = (d / "small.yaml").string();
  auto r = run_fourp({"run", scenario, "-o", scenario, "--overwrite", "-q"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("an input of this command"));
  CHECK(slurp(d / "small.yaml") == kSmall);  // was: replaced by HDF5
  fs::create_symlink(d / "small.yaml", d / "link.h5");
  fs::create_hard_link(d / "small.yaml", d / "hard.h5");
  for (const char* name : {"link.h5", "hard.h5"}) {
    r = run_fourp({"run", scenario, "-o", (d / name).string(), "--overwrite", "-q"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("an input of this command"));
  }
  CHECK(slurp(d / "small.yaml") == kSmall);
  // A network file of the scenario.
  write_file(d / "edges.txt", "0 1\n1 2\n2 3\n3 0\n");
  write_file(d / "net.yaml",
             "name: net\nsteps: 4\nreplicates: 1\npopulation: {size: 4}\n"
             "network: {kind: file, path: edges.txt}\n");
  r = run_fourp(
      {"run", (d / "net.yaml").string(), "-o", (d / "edges.txt").string(), "--overwrite", "-q"});
  CHECK(r.exit_code == 2);
  CHECK(slurp(d / "edges.txt") == "0 1\n1 2\n2 3\n3 0\n");
  // merge's shards.
  r = run_fourp({"merge", (d / "small.yaml").string(), "-o", scenario, "--overwrite"});
  CHECK(r.exit_code == 2);
  CHECK(slurp(d / "small.yaml") == kSmall);
}

TEST_CASE("report recomputes a deleted /comparison from the arms' totals", "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  REQUIRE(run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "r.h5").string(), "-q"})
              .exit_code == 0);
  fs::copy_file(d / "r.h5", d / "broken.h5");
  {
    fourp::h5::File f = fourp::h5::File::open_for_update(d / "broken.h5");
    fourp::h5::remove(f, "/comparison");
    f.close();
  }
  auto whole = run_fourp({"report", (d / "r.h5").string(), "-o", (d / "whole.html").string(),
                          "--csv", (d / "whole").string()});
  REQUIRE(whole.exit_code == 0);
  auto r = run_fourp({"report", (d / "broken.h5").string(), "-o", (d / "broken.html").string(),
                      "--csv", (d / "broken").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("broken.h5: warning: missing /comparison/media: recomputed from the "
                             "arms' totals"));
  CHECK(slurp(d / "whole" / "comparison.csv") == slurp(d / "broken" / "comparison.csv"));
}

TEST_CASE("report refuses a results file whose scenario attribute is not YAML", "[cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  REQUIRE(run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "r.h5").string(), "-q"})
              .exit_code == 0);
  for (const std::string& bad : {std::string("[a, b"), std::string(","), std::string("- 1\n")}) {
    INFO(bad);
    {
      fourp::h5::File f = fourp::h5::File::open_for_update(d / "r.h5");
      fourp::h5::write_attr(f, "scenario", std::string_view(bad));
      f.close();
    }
    auto r = run_fourp({"report", (d / "r.h5").string(), "-o", (d / "r.html").string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("r.h5: error: attribute 'scenario' of / is damaged"));
    CHECK_FALSE(fs::exists(d / "r.html"));
  }
}

namespace {

// Runs `fourp report file` in a child under a CPU limit (a regression that hangs ends there, not
// in CTest's timeout) and measures its wall time.
struct Reported {
  int exit_code = -1;  // negative: killed by that signal
  std::string err;
  double seconds = 0;
};
Reported report_limited(const fs::path& file, const fs::path& dir) {
  const fs::path err = dir / "report.err";
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    rlimit cpu{10, 10};
    setrlimit(RLIMIT_CPU, &cpu);
    const int null = ::open("/dev/null", O_WRONLY);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(null, 1);
    dup2(e, 2);
    const std::string out = (dir / "r.html").string();
    execl(FOURP_EXE, FOURP_EXE, "report", file.c_str(), "-o", out.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  Reported r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  r.err = slurp(err);
  fs::remove(err);
  return r;
}

}  // namespace

TEST_CASE("report of a results file with damaged HDF5 metadata: exit 2 naming the object",
          "[cli]") {
  // A damaged checksum of /arms/media's object header (HDF5 verifies it), and a damaged
  // signature of that header, which would make HDF5 1.10 read it as an old, unchecksummed one.
  TempDir d;
  const fs::path hostile = fs::path(FOURP_TEST_DATA) / "hostile";
  for (const auto& [file, message] :
       {std::pair{"results-damaged-header.h5",
                  "opening group '/arms/media': incorrect metadata checksum"},
        std::pair{"results-header-signature.h5",
                  "object '/arms/media': no checksummed object header where its link points"}}) {
    INFO(file);
    const Reported r = report_limited(hostile / file, d.path());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(std::string(file) + ": error: " + message));
    CHECK(r.seconds < 5);
    CHECK(fs::is_empty(d.path()));
  }
}

TEST_CASE("report of a results file whose global heap made HDF5 loop: exit 2, quickly", "[cli]") {
  // fuzz_results_file, seed 1: an object of size 0 in the global heap collection that holds the
  // file's strings, on which HDF5 1.10 loops forever. fourp reads those strings itself.
  TempDir d;
  const Reported r =
      report_limited(fs::path(FOURP_TEST_DATA) / "hostile" / "results-heap-loop.h5", d.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("results-heap-loop.h5: error: reading attribute 'step_unit': its "
                             "stored string is damaged (object 4 not in its collection)"));
  CHECK(r.seconds < 5);
  CHECK(fs::is_empty(d.path()));
}

TEST_CASE("report of a results file with a short chunk: exit 2, no over-read", "[cli]") {
  // A chunk whose deflate stream is intact but decodes to 20 of its 144 bytes: HDF5 1.10 copied
  // 144 bytes out of the shorter buffer (fuzz_results_file; AddressSanitizer under H5Dread).
  TempDir d;
  const Reported r =
      report_limited(fs::path(FOURP_TEST_DATA) / "hostile" / "results-short-chunk.h5", d.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("results-short-chunk.h5: error: reading dataset "
                             "'/arms/media/series/engaged': chunk 0 is damaged (it does not "
                             "decode to 144 bytes)"));
  CHECK(r.seconds < 5);
  CHECK(fs::is_empty(d.path()));
}

TEST_CASE("report of a results file written without checksummed metadata: exit 2, run it again",
          "[cli]") {
  // Files of fourp before 2026-12-02 (superblock version 0): the inputs fuzz_results_file found
  // in that format — a damaged checksum, a header claiming 8 GB, the heap loop (seed 1) — are
  // refused before HDF5 reads anything.
  TempDir d;
  for (const char* file :
       {"results-bad-checksum.h5", "results-huge-header.h5", "results-heap-loop-old-format.h5"}) {
    INFO(file);
    const Reported r = report_limited(fs::path(FOURP_TEST_DATA) / "hostile" / file, d.path());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(std::string(file) +
                               ": error: written without checksummed HDF5 metadata (superblock "
                               "version 0), as fourp wrote results files until 2026-12-02: run "
                               "the scenario again to write it anew"));
    CHECK(r.seconds < 5);
    CHECK(fs::is_empty(d.path()));
  }
}
