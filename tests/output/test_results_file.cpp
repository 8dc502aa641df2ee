// The HDF5 results file: the layout of SCENARIO.md, a lossless round trip, atomic replacement
// (temporary file + rename, --overwrite), and the reader's errors. Also the summary table.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "output/h5.h"
#include "output/results_file.h"
#include "output/summary_table.h"
#include "sim/comparison.h"
#include "sim/decision_analysis.h"
#include "sim/diagnostics.h"
#include "tests/support/test_support.h"

using namespace fourp;
using fourp::test::catalog;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("fourp-results-test-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }
  // Every name in the directory, sorted.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  fs::path path_;
};

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The value of series/communities entries, so that the Python check can recompute them:
// arm·1000 + replicate·100 + metric·10 + step (+ community/4 for community series) + 0.5.
double series_value(size_t arm, size_t rep, size_t metric, size_t row) {
  return double(arm * 1000 + rep * 100 + metric * 10 + row) + 0.5;
}

// Two arms (creation order not alphabetical), 3 replicates, 4 steps, 2 metrics (not in
// alphabetical order either), 2 communities, totals with exploited and cost_total, a snapshot.
Results sample_results() {
  Results r;
  r.fourp_version = "0.1.0";
  r.scenario_name = "test-scenario";
  r.scenario_yaml = "name: test-scenario\nseed: 20261128\n# Ünïcode ✓\n";
  r.seed = 20261128;
  r.replicates = 3;
  r.steps = 4;
  r.step_unit = "week";
  r.currency = "USD";
  r.communities = 2;
  r.community_sizes = {60, 40};
  r.series_names = {"otherness", "engaged"};
  r.total_names = {"exploited", "prevented", "cost_total"};
  // The prevention model's declarations: headline, cost, summary columns, the at-risk subgroup.
  r.outputs = catalog().find("prevention")->outputs;
  r.baseline_arm = "baseline";
  r.network.nodes = 100;
  r.network.edges = 412;
  r.network.mean_degree = 8.24;
  r.network.clustering = 0.3125;
  r.network.degree_histogram = {0, 3, 10, 20, 30, 20, 10, 5, 2};

  const std::vector<std::pair<std::string, std::vector<std::string>>> arms{
      {"baseline", {}}, {"alpha", {"partnership", "codesigned-media"}}};
  for (size_t a = 0; a < arms.size(); ++a) {
    ArmResult arm;
    arm.name = arms[a].first;
    arm.interventions = arms[a].second;
    for (size_t rep = 0; rep < r.replicates; ++rep) {
      RunResult run;
      for (size_t m = 0; m < r.series_names.size(); ++m)
        for (size_t row = 0; row < r.rows(); ++row) {
          run.series.push_back(series_value(a, rep, m, row));
          run.subgroup.push_back(-series_value(a, rep, m, row));
          for (size_t c = 0; c < r.communities; ++c)
            run.communities.push_back(float(series_value(a, rep, m, row) + 0.25 * double(c)));
        }
      const double exploited = double(20 + 3 * rep) - 4.0 * double(a) - double(rep % 2);
      run.totals = {exploited, double(5 + rep + a), 1000.0 * double(a) * double(rep + 1) + 7};
      if (rep == 0) {
        Snapshot s;
        s.step = 2;
        s.columns = {{"id", Column::Type::u32, {0, 1, 2, 3, 4}},
                     {"engaged", Column::Type::u8, {0, 1, 1, 0, 1}},
                     {"awareness", Column::Type::f32, {0.25, 0.5, 0.75, 1.0, 0.125}},
                     {"threshold", Column::Type::f64, {0.1, 0.2, 0.3, 0.35, 1.0 / 3.0}}};
        run.snapshots.push_back(s);
        s.step = 4;
        run.snapshots.push_back(s);
      }
      arm.replicates.push_back(std::move(run));
    }
    r.arms.push_back(std::move(arm));
  }
  r.comparisons = compare_arms(r);
  return r;
}

bool same(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

void require_equal(const Results& a, const Results& b) {
  CHECK(a.fourp_version == b.fourp_version);
  CHECK(a.scenario_name == b.scenario_name);
  CHECK(a.scenario_yaml == b.scenario_yaml);
  CHECK(a.seed == b.seed);
  CHECK(a.replicates == b.replicates);
  CHECK(a.steps == b.steps);
  CHECK(a.step_unit == b.step_unit);
  CHECK(a.currency == b.currency);
  CHECK(a.communities == b.communities);
  CHECK(a.community_sizes == b.community_sizes);
  CHECK(a.series_names == b.series_names);
  CHECK(a.total_names == b.total_names);
  CHECK(a.baseline_arm == b.baseline_arm);
  CHECK(a.network.nodes == b.network.nodes);
  CHECK(a.network.edges == b.network.edges);
  CHECK(a.network.mean_degree == b.network.mean_degree);
  CHECK(a.network.clustering == b.network.clustering);
  CHECK(a.network.degree_histogram == b.network.degree_histogram);
  REQUIRE(a.arms.size() == b.arms.size());
  for (size_t i = 0; i < a.arms.size(); ++i) {
    const ArmResult &x = a.arms[i], &y = b.arms[i];
    INFO("arm " << x.name);
    CHECK(x.name == y.name);
    CHECK(x.interventions == y.interventions);
    REQUIRE(x.replicates.size() == y.replicates.size());
    for (size_t rep = 0; rep < x.replicates.size(); ++rep) {
      const RunResult &p = x.replicates[rep], &q = y.replicates[rep];
      INFO("replicate " << rep);
      CHECK(p.series == q.series);
      CHECK(p.subgroup == q.subgroup);
      CHECK(p.communities == q.communities);
      CHECK(p.totals == q.totals);
      REQUIRE(p.snapshots.size() == q.snapshots.size());
      for (size_t s = 0; s < p.snapshots.size(); ++s) {
        CHECK(p.snapshots[s].step == q.snapshots[s].step);
        REQUIRE(p.snapshots[s].columns.size() == q.snapshots[s].columns.size());
        for (size_t c = 0; c < p.snapshots[s].columns.size(); ++c) {
          const Column &u = p.snapshots[s].columns[c], &v = q.snapshots[s].columns[c];
          CHECK(u.name == v.name);
          CHECK(u.type == v.type);
          if (u.type == Column::Type::f32) {
            REQUIRE(u.values.size() == v.values.size());
            for (size_t k = 0; k < u.values.size(); ++k)
              CHECK(float(u.values[k]) == float(v.values[k]));
          } else {
            CHECK(u.values == v.values);
          }
        }
      }
    }
  }
  REQUIRE(a.comparisons.size() == b.comparisons.size());
  for (size_t i = 0; i < a.comparisons.size(); ++i) {
    CHECK(a.comparisons[i].arm == b.comparisons[i].arm);
    CHECK(a.comparisons[i].baseline == b.comparisons[i].baseline);
    REQUIRE(a.comparisons[i].differences.size() == b.comparisons[i].differences.size());
    for (size_t k = 0; k < a.comparisons[i].differences.size(); ++k) {
      const Difference &d = a.comparisons[i].differences[k], &e = b.comparisons[i].differences[k];
      CHECK(d.quantity == e.quantity);
      CHECK(same(d.mean, e.mean));
      CHECK(same(d.low, e.low));
      CHECK(same(d.high, e.high));
    }
  }
}

bool has_temp_files(const TempDir& dir) {
  for (const std::string& n : dir.names())
    if (n.find(".tmp-") != std::string::npos) return true;
  return false;
}

bool python_has_h5py() {
  return std::system("/usr/bin/python3 -c 'import h5py, pandas' >/dev/null 2>&1") == 0;
}

// Reads the file the way a user's script would (h5py + pandas) and checks what they would see.
const char* kPythonCheck = R"PY(
import sys
import h5py, numpy as np, pandas as pd

def value(arm, rep, metric, row):
    return arm * 1000 + rep * 100 + metric * 10 + row + 0.5

f = h5py.File(sys.argv[1], "r")
a = f.attrs
for k in ["fourp_version", "scenario", "step_unit", "created_utc", "name", "currency",
          "baseline_arm"]:
    assert isinstance(a[k], str), (k, type(a[k]))
assert a["scenario"].startswith("name: test-scenario"), a["scenario"]
assert "Ünïcode ✓" in a["scenario"]
assert int(a["format_version"]) == 1
assert int(a["seed"]) == 20261128 and int(a["replicates"]) == 3 and int(a["steps"]) == 4
assert a["created_utc"].endswith("Z")
assert list(a["series_names"]) == ["otherness", "engaged"], a["series_names"]
assert list(f["arms"].keys()) == ["baseline", "alpha"], list(f["arms"].keys())
assert list(f["arms/alpha"].attrs["interventions"]) == ["partnership", "codesigned-media"]
assert len(f["arms/baseline"].attrs["interventions"]) == 0
for ai, arm in enumerate(["baseline", "alpha"]):
    g = f["arms"][arm]
    assert list(g["series"].keys()) == ["otherness", "engaged"], list(g["series"].keys())
    for mi, metric in enumerate(["otherness", "engaged"]):
        s = g["series"][metric]
        assert s.dtype == np.float64 and s.shape == (3, 5), (s.dtype, s.shape)
        assert s.compression == "gzip" and s.shuffle and s.chunks is not None
        x = s[:]
        for rep in range(3):
            for row in range(5):
                assert x[rep, row] == value(ai, rep, mi, row)
        r = g["at_risk"][metric]
        assert r.dtype == np.float64 and r.shape == (3, 5)
        assert r[1, 2] == -value(ai, 1, mi, 2)
        c = g["communities"][metric]
        assert c.dtype == np.float32 and c.shape == (3, 5, 2), (c.dtype, c.shape)
        assert c.compression == "gzip" and c.shuffle
        assert c[2, 3, 1] == np.float32(value(ai, 2, mi, 3) + 0.25)
    t = pd.DataFrame(g["totals"][:])
    assert list(t.columns) == ["replicate", "exploited", "prevented", "cost_total"], t.columns
    assert t["replicate"].tolist() == [0, 1, 2]
    assert g["totals"].dtype["replicate"] == np.uint32
    assert t["prevented"].tolist() == [5 + rep + ai for rep in range(3)]
    assert list(g["snapshots"].keys()) == ["step_2", "step_4"]
    snap = g["snapshots/step_2"]
    assert snap.attrs["step"] == 2
    d = pd.DataFrame(snap[:])
    assert list(d.columns) == ["id", "engaged", "awareness", "threshold"]
    assert snap.dtype["id"] == np.uint32 and snap.dtype["engaged"] == np.uint8
    assert snap.dtype["awareness"] == np.float32 and snap.dtype["threshold"] == np.float64
    assert len(d) == 5 and d["engaged"].tolist() == [0, 1, 1, 0, 1]
cmp = f["comparison/alpha"]
assert cmp.attrs["baseline"] == "baseline"
cd = pd.DataFrame(cmp[:])
assert list(cd.columns) == ["quantity", "mean", "low", "high"]
assert [q.decode() for q in cd["quantity"]] == ["exploited", "prevented", "cost_total",
                                                "cases_averted", "cost_per_case_averted"]
assert abs(cd["mean"][3] - 4.0) < 1e-12
n = f["network"]
assert int(n.attrs["nodes"]) == 100 and int(n.attrs["edges"]) == 412
assert n["community_sizes"].dtype == np.uint32 and list(n["community_sizes"][:]) == [60, 40]
assert n["degree_histogram"].dtype == np.uint64 and n["degree_histogram"].shape == (9,)
print("ok")
)PY";

}  // namespace

TEST_CASE("results file round trip keeps every value", "[unit]") {
  TempDir dir;
  const Results r = sample_results();
  const fs::path out = dir / "results.h5";
  write_results(r, out, false);
  CHECK(dir.names() == std::vector<std::string>{"results.h5"});
  const Results back = read_results(out);
  require_equal(r, back);
}

TEST_CASE("results file keeps the drawn parameters and the decision analysis", "[unit]") {
  TempDir dir;
  Results r = sample_results();
  r.parameter_names = {"model.denial", "interventions.partnership.cost.fixed_per_step"};
  r.parameters = {{0.5, 900}, {0.7, 1100}, {0.6, 1000}};
  r.decision = analyse_decision(r, WillingnessToPay{0, 100, 5});
  REQUIRE(r.decision.has_value());
  const DecisionAnalysis& d = *r.decision;
  REQUIRE(d.prcc_arms == std::vector<std::string>{"alpha"});
  write_results(r, dir / "r.h5", false);
  const Results back = read_results(dir / "r.h5");
  require_equal(r, back);
  CHECK(back.parameter_names == r.parameter_names);
  CHECK(back.parameters == r.parameters);
  REQUIRE(back.decision.has_value());
  const DecisionAnalysis& e = *back.decision;
  CHECK(e.effect == d.effect);
  CHECK(e.baseline == d.baseline);
  CHECK(e.parameters_drawn);
  CHECK(e.arms == d.arms);
  CHECK(e.mean_cost == d.mean_cost);
  CHECK(e.mean_effect == d.mean_effect);
  CHECK(e.probability_most_effective == d.probability_most_effective);
  REQUIRE(e.frontier.size() == d.frontier.size());
  for (size_t a = 0; a < d.frontier.size(); ++a) {
    CHECK(e.frontier[a].status == d.frontier[a].status);
    CHECK(e.frontier[a].previous == d.frontier[a].previous);
    CHECK(same(e.frontier[a].icer, d.frontier[a].icer));
  }
  CHECK(e.lambdas == d.lambdas);
  REQUIRE(e.acceptability.size() == 5);
  for (size_t i = 0; i < 5; ++i) {
    CHECK(e.acceptability[i].probability_best == d.acceptability[i].probability_best);
    CHECK(e.acceptability[i].expected_nmb == d.acceptability[i].expected_nmb);
    CHECK(e.acceptability[i].best_expected == d.acceptability[i].best_expected);
    CHECK(e.acceptability[i].evpi == d.acceptability[i].evpi);
  }
  CHECK(e.parameters == d.parameters);
  CHECK(e.evppi == d.evppi);
  REQUIRE(e.prcc.size() == 1);
  for (size_t k = 0; k < 2; ++k) {
    CHECK(same(e.prcc[0].r[k], d.prcc[0].r[k]));
    CHECK(same(e.prcc[0].low[k], d.prcc[0].low[k]));
    CHECK(same(e.prcc[0].high[k], d.prcc[0].high[k]));
  }
}

TEST_CASE("results file without at-risk, community series, snapshots or arms", "[unit]") {
  TempDir dir;
  Results r = sample_results();
  for (ArmResult& arm : r.arms)
    for (RunResult& run : arm.replicates) {
      run.subgroup.clear();
      run.communities.clear();
      run.snapshots.clear();
    }
  write_results(r, dir / "a.h5", false);
  h5::File f = h5::File::open(dir / "a.h5");
  CHECK_FALSE(h5::exists(f, "/arms/baseline/at_risk"));
  CHECK_FALSE(h5::exists(f, "/arms/baseline/communities"));
  CHECK_FALSE(h5::exists(f, "/arms/baseline/snapshots"));
  require_equal(r, read_results(dir / "a.h5"));

  // A snapshot step listed twice is written once.
  Results twice = sample_results();
  for (ArmResult& arm : twice.arms)
    arm.replicates[0].snapshots.push_back(arm.replicates[0].snapshots[0]);
  write_results(twice, dir / "twice.h5", false);
  CHECK(read_results(dir / "twice.h5").arms[1].replicates[0].snapshots.size() == 2);

  r.arms.clear();
  r.comparisons.clear();
  write_results(r, dir / "b.h5", false);
  require_equal(r, read_results(dir / "b.h5"));
}

TEST_CASE("results file has the layout of SCENARIO.md", "[unit]") {
  TempDir dir;
  const Results r = sample_results();
  const fs::path out = dir / "results.h5";
  write_results(r, out, false);

  h5::File f = h5::File::open(out);
  for (const char* a : {"fourp_version", "scenario", "seed", "replicates", "steps", "step_unit",
                        "created_utc", "name", "currency", "baseline_arm", "format_version"})
    CHECK(h5::has_attr(f, a));
  CHECK(h5::read_attr<int64_t>(f, "format_version") == 1);
  CHECK(h5::read_attr<std::string>(f, "scenario") == r.scenario_yaml);
  CHECK(h5::children(f) == std::vector<std::string>{"arms", "comparison", "network"});
  CHECK(h5::children(f, "arms") == std::vector<std::string>{"baseline", "alpha"});
  CHECK(h5::children(f, "arms/alpha") ==
        std::vector<std::string>{"series", "at_risk", "communities", "totals", "snapshots"});
  CHECK(h5::children(f, "arms/alpha/series") == std::vector<std::string>{"otherness", "engaged"});

  for (const char* group : {"series", "at_risk"}) {
    const h5::DatasetInfo s = h5::describe(f, std::string("/arms/alpha/") + group + "/engaged");
    CHECK(s.dims == std::vector<uint64_t>{3, 5});
    CHECK(s.type == h5::Type::f64);
    CHECK(s.chunked);
    CHECK(s.shuffle);
    CHECK(s.deflate);
  }
  const h5::DatasetInfo c = h5::describe(f, "/arms/alpha/communities/otherness");
  CHECK(c.dims == std::vector<uint64_t>{3, 5, 2});
  CHECK(c.type == h5::Type::f32);
  CHECK((c.chunked && c.shuffle && c.deflate));

  using Fields = std::vector<std::pair<std::string, h5::Type>>;
  const h5::DatasetInfo t = h5::describe(f, "/arms/baseline/totals");
  CHECK(t.dims == std::vector<uint64_t>{3});
  CHECK(t.type == h5::Type::compound);
  CHECK(t.fields == Fields{{"replicate", h5::Type::u32},
                           {"exploited", h5::Type::f64},
                           {"prevented", h5::Type::f64},
                           {"cost_total", h5::Type::f64}});
  const h5::DatasetInfo s = h5::describe(f, "/arms/baseline/snapshots/step_2");
  CHECK(s.dims == std::vector<uint64_t>{5});
  CHECK(s.fields == Fields{{"id", h5::Type::u32},
                           {"engaged", h5::Type::u8},
                           {"awareness", h5::Type::f32},
                           {"threshold", h5::Type::f64}});
  const h5::DatasetInfo cmp = h5::describe(f, "/comparison/alpha");
  CHECK(cmp.dims == std::vector<uint64_t>{5});
  CHECK(cmp.fields == Fields{{"quantity", h5::Type::string},
                             {"mean", h5::Type::f64},
                             {"low", h5::Type::f64},
                             {"high", h5::Type::f64}});
  CHECK_FALSE(h5::exists(f, "/comparison/baseline"));
  CHECK(h5::read_attr<std::string>(h5::open_dataset(f, "/comparison/alpha"), "baseline") ==
        "baseline");
  CHECK(h5::describe(f, "/network/community_sizes").type == h5::Type::u32);
  CHECK(h5::describe(f, "/network/degree_histogram").type == h5::Type::u64);
  const h5::Handle net = h5::open_group(f, "/network");
  CHECK(h5::read_attr<uint32_t>(net, "nodes") == 100);
  CHECK(h5::read_attr<uint64_t>(net, "edges") == 412);
  CHECK(h5::read_attr<double>(net, "mean_degree") == 8.24);
  CHECK(h5::read_attr<double>(net, "clustering") == 0.3125);
}

TEST_CASE("results file reads in h5py and pandas as documented", "[unit]") {
  if (!python_has_h5py())
    return test::skip_or_fail("/usr/bin/python3 lacks h5py or pandas: the Python reader check");
  TempDir dir;
  write_results(sample_results(), dir / "results.h5", false);
  const fs::path script = dir / "check.py", log = dir / "check.log";
  std::ofstream(script) << kPythonCheck;
  const std::string cmd = "/usr/bin/python3 '" + script.string() + "' '" +
                          (dir / "results.h5").string() + "' >'" + log.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  INFO(read_bytes(log));
  CHECK(status == 0);
}

TEST_CASE("an existing results file is replaced only with overwrite", "[unit]") {
  TempDir dir;
  Results r = sample_results();
  const fs::path out = dir / "results.h5";
  write_results(r, out, false);
  const std::string before = read_bytes(out);

  r.seed = 99;
  CHECK_THROWS_WITH(write_results(r, out, false),
                    out.string() + ": error: file exists (use --overwrite to replace it)");
  CHECK_THROWS_AS(write_results(r, out, false), InputError);
  CHECK_THROWS_AS(check_output_path(out, false), InputError);
  CHECK(read_bytes(out) == before);
  CHECK(dir.names() == std::vector<std::string>{"results.h5"});

  CHECK_NOTHROW(check_output_path(out, true));
  write_results(r, out, true);
  CHECK(read_results(out).seed == 99);
  CHECK(dir.names() == std::vector<std::string>{"results.h5"});
}

TEST_CASE("a failed write leaves nothing behind", "[unit]") {
  TempDir dir;
  const fs::path out = dir / "results.h5";

  SECTION("inconsistent sizes in the second arm (after the temporary file was begun)") {
    Results r = sample_results();
    r.arms[1].replicates[2].series.pop_back();
    CHECK_THROWS_AS(write_results(r, out, false), std::invalid_argument);
    CHECK(dir.names().empty());
  }
  SECTION("a snapshot value its column type cannot hold") {
    Results r = sample_results();
    r.arms[1].replicates[0].snapshots[0].columns[1].values[0] = 300;  // a u8 column
    CHECK_THROWS_AS(write_results(r, out, true), std::invalid_argument);
    CHECK(dir.names().empty());
  }
  SECTION("a failure keeps the old file with overwrite") {
    write_results(sample_results(), out, false);
    const std::string before = read_bytes(out);
    Results r = sample_results();
    r.arms[0].replicates[1].totals.pop_back();
    CHECK_THROWS(write_results(r, out, true));
    CHECK(read_bytes(out) == before);
    CHECK(dir.names() == std::vector<std::string>{"results.h5"});
  }
  SECTION("a directory that does not exist") {
    const fs::path missing = dir / "no-such-dir" / "results.h5";
    CHECK_THROWS_AS(check_output_path(missing, false), InputError);
    CHECK_THROWS_WITH(write_results(sample_results(), missing, false),
                      Catch::Contains("does not exist"));
    CHECK(dir.names().empty());
  }
  SECTION("a directory that is not writable") {
    if (::geteuid() == 0) {
      // A property of the machine, not a missing tool: no installation changes it, so this
      // stays a skip under CI too (skip_or_fail is for tools).
      WARN(
          "running as root: directory permissions are not enforced, so this section is "
          "skipped (a property of the machine, not a missing tool; also under CI)");
      return;
    }
    const fs::path ro = dir / "ro";
    fs::create_directory(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    CHECK_THROWS_AS(write_results(sample_results(), ro / "results.h5", false), InputError);
    fs::permissions(ro, fs::perms::owner_all);
    CHECK(fs::is_empty(ro));
  }
  SECTION("the target is a directory") {
    fs::create_directory(out);
    CHECK_THROWS_WITH(write_results(sample_results(), out, true),
                      Catch::Contains("is a directory"));
    CHECK(dir.names() == std::vector<std::string>{"results.h5"});
  }
  CHECK_FALSE(has_temp_files(dir));
}

TEST_CASE("remove_pending_outputs deletes the file being written", "[unit]") {
  TempDir dir;
  fs::path seen;
  CHECK_THROWS_WITH(write_atomically(dir / "out.txt", false,
                                     [&](const fs::path& temp) {
                                       seen = temp;
                                       std::ofstream(temp) << "partial";
                                       REQUIRE(fs::exists(temp));
                                       // What a SIGINT handler does before _exit.
                                       remove_pending_outputs();
                                       CHECK_FALSE(fs::exists(temp));
                                       throw std::runtime_error("interrupted");
                                     }),
                    "interrupted");
  CHECK(seen.parent_path() == dir.path());
  CHECK(seen.filename().string().rfind(".out.txt.tmp-", 0) == 0);
  CHECK(dir.names().empty());
  remove_pending_outputs();  // nothing pending: harmless

  write_atomically(dir / "out.txt", false,
                   [](const fs::path& temp) { std::ofstream(temp) << "complete"; });
  CHECK(read_bytes(dir / "out.txt") == "complete");
  CHECK(dir.names() == std::vector<std::string>{"out.txt"});
}

TEST_CASE("a temporary file left by a killed writer goes with the next write to its target",
          "[unit]") {
  // SIGKILL runs no handler: its temporary file stays, unlocked. A live writer's is locked.
  TempDir dir;
  std::ofstream(dir / ".out.txt.tmp-999999") << "left by a killed writer";
  std::ofstream(dir / ".out.txt.tmp-888888") << "being written";
  std::ofstream(dir / ".other.txt.tmp-777777") << "another target's";
  const int live = ::open((dir / ".out.txt.tmp-888888").c_str(), O_RDONLY);
  REQUIRE(live >= 0);
  REQUIRE(::flock(live, LOCK_EX | LOCK_NB) == 0);
  write_atomically(dir / "out.txt", false,
                   [](const fs::path& temp) { std::ofstream(temp) << "complete"; });
  CHECK(read_bytes(dir / "out.txt") == "complete");
  CHECK(dir.names() ==
        std::vector<std::string>{".other.txt.tmp-777777", ".out.txt.tmp-888888", "out.txt"});
  ::close(live);
}

TEST_CASE("read_results refuses what is not a fourp results file", "[unit]") {
  TempDir dir;

  SECTION("missing file") {
    CHECK_THROWS_WITH(read_results(dir / "none.h5"),
                      (dir / "none.h5").string() + ": error: no such file");
  }
  SECTION("a text file") {
    std::ofstream(dir / "text.h5") << "name: not hdf5\n";
    CHECK_THROWS_AS(read_results(dir / "text.h5"), InputError);
    CHECK_THROWS_WITH(read_results(dir / "text.h5"),
                      (dir / "text.h5").string() + ": error: not an HDF5 file");
  }
  SECTION("another format_version") {
    write_results(sample_results(), dir / "r.h5", false);
    {
      h5::File f = h5::File::open_for_update(dir / "r.h5");
      h5::write_attr(f, "format_version", int64_t{2});
      f.close();
    }
    CHECK_THROWS_AS(read_results(dir / "r.h5"), InputError);
    CHECK_THROWS_WITH(read_results(dir / "r.h5"),
                      Catch::EndsWith("error: results file format_version 2 is not supported "
                                      "(this fourp reads 1)"));
  }
  SECTION("an HDF5 file that fourp did not write") {
    {
      h5::File f = h5::File::create(dir / "other.h5");
      h5::write_attr(f, "title", "something else");
      f.close();
    }
    CHECK_THROWS_WITH(read_results(dir / "other.h5"), Catch::Contains("not a fourp results file"));
  }
  SECTION("a missing dataset is named") {
    write_results(sample_results(), dir / "r.h5", false);
    {
      h5::File f = h5::File::open_for_update(dir / "r.h5");
      h5::remove(f, "/arms/alpha/totals");
      f.close();
    }
    CHECK_THROWS_AS(read_results(dir / "r.h5"), InputError);
    CHECK_THROWS_WITH(read_results(dir / "r.h5"),
                      Catch::EndsWith("error: missing dataset /arms/alpha/totals"));
  }
  SECTION("a dataset of the wrong shape is named") {
    write_results(sample_results(), dir / "r.h5", false);
    {
      h5::File f = h5::File::open_for_update(dir / "r.h5");
      h5::remove(f, "/arms/baseline/series/engaged");
      const std::vector<double> v(6, 0.0);
      h5::write_array<double>(h5::open_group(f, "/arms/baseline/series"), "engaged", v, {3, 2},
                              h5::Compress::no);
      f.close();
    }
    CHECK_THROWS_WITH(read_results(dir / "r.h5"),
                      Catch::Contains("dataset /arms/baseline/series/engaged has shape [3, 2], "
                                      "expected [3, 5]"));
  }
}

TEST_CASE("results files carry checksummed metadata and damaged strings are refused", "[unit]") {
  TempDir dir;
  write_results(sample_results(), dir / "r.h5", false);
  // Superblock 3 and version-2 object headers: HDF5 verifies a checksum on every metadata read.
  const h5::Format format = h5::check_format(dir / "r.h5");
  CHECK(format.superblock_version == 3);
  CHECK(format.root_checksummed);
  CHECK_NOTHROW(read_results(dir / "r.h5"));

  // The strings' global heap collection, the one structure without a checksum: its first
  // object (fourp_version) is given sizes HDF5 1.10 would trust.
  std::string bytes;
  {
    std::ifstream in(dir / "r.h5", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const size_t heap = bytes.find("GCOL");
  REQUIRE(heap != std::string::npos);
  const size_t object = heap + 16;  // after the collection's header
  REQUIRE(bytes[object] == 1);      // index 1
  const auto damaged = [&](uint64_t size, const std::string& why) {
    std::string copy = bytes;
    for (int i = 0; i < 8; ++i) copy[object + 8 + i] = static_cast<char>(size >> (8 * i));
    std::ofstream(dir / "bad.h5", std::ios::binary) << copy;
    INFO(why);
    CHECK_THROWS_AS(read_results(dir / "bad.h5"), InputError);
    CHECK_THROWS_WITH(read_results(dir / "bad.h5"),
                      Catch::Contains("error: reading attribute 'fourp_version': its stored "
                                      "string is damaged (" +
                                      why + ")"));
  };
  damaged(1u << 20, "object larger than its collection");
  damaged(~uint64_t{0}, "object larger than its collection");
  damaged(3, "object of 3 bytes for a string of " +
                 std::to_string(sample_results().fourp_version.size()));
}

TEST_CASE("h5 tables and attributes round trip", "[unit]") {
  TempDir dir;
  {
    h5::File f = h5::File::create(dir / "t.h5");
    h5::Table t;
    t.fields.push_back({"name", h5::Type::string, {}, {"a", "longer name", ""}});
    t.fields.push_back({"count", h5::Type::u64, {1, 2, 9007199254740992.0}, {}});
    t.fields.push_back({"delta", h5::Type::i32, {-1, 0, 1}, {}});
    h5::write_table(f, "table", t, h5::Compress::yes);
    h5::write_attr(f, "list", std::vector<std::string>{"x", "ÿ"});
    h5::write_attr(f, "n", uint32_t{7});
    h5::write_attr(f, "n", uint32_t{8});  // replaced, not an error

    h5::Table bad;
    bad.fields.push_back({"x", h5::Type::u8, {-1}, {}});
    CHECK_THROWS_AS(h5::write_table(f, "bad", bad, h5::Compress::no), std::invalid_argument);
    CHECK_THROWS_AS(h5::create_group(f, "table"), h5::Error);  // name taken
    f.close();
  }
  h5::File f = h5::File::open(dir / "t.h5");
  const h5::Table t = h5::read_table(f, "table");
  REQUIRE(t.fields.size() == 3);
  CHECK(t.fields[0].strings == std::vector<std::string>{"a", "longer name", ""});
  CHECK(t.fields[1].type == h5::Type::u64);
  CHECK(t.fields[1].numbers == std::vector<double>{1, 2, 9007199254740992.0});
  CHECK(t.fields[2].numbers == std::vector<double>{-1, 0, 1});
  CHECK(h5::read_attr<std::vector<std::string>>(f, "list") == std::vector<std::string>{"x", "ÿ"});
  CHECK(h5::read_attr<uint32_t>(f, "n") == 8);
  CHECK_THROWS_WITH(h5::read_attr<double>(f, "list"), Catch::Contains("list"));
  CHECK_THROWS_AS(h5::open_dataset(f, "nope"), h5::Error);
  CHECK_THROWS_AS(h5::File::open(dir / "missing.h5"), h5::Error);
}

TEST_CASE("summary table shows arms, differences and copes with missing names", "[unit]") {
  const Results r = sample_results();
  const std::string s = format_summary(r);
  INFO(s);
  std::vector<std::string> lines;
  for (size_t b = 0, e; b < s.size(); b = e + 1) {
    e = s.find('\n', b);
    lines.push_back(s.substr(b, e - b));
  }
  REQUIRE(lines.size() == 4);  // title, header, two arms
  CHECK_THAT(lines[0], Catch::StartsWith("test-scenario: 3 replicates, 4 weeks"));
  CHECK_THAT(lines[1], Catch::StartsWith("arm "));
  // The declared summary outcomes among the results' totals (no engaged_final here), then the
  // declared improvement and its cost per unit.
  for (const char* h :
       {"exploited", "prevented", "cost (USD)", "cases averted", "cost per case averted (USD)"})
    CHECK_THAT(lines[1], Catch::Contains(h));
  CHECK_THAT(lines[1], !Catch::Contains("engaged"));
  CHECK_THAT(lines[2], Catch::StartsWith("baseline *"));
  CHECK_THAT(lines[3], Catch::StartsWith("alpha"));
  // Baseline exploited {20, 22, 26}: mean 22.67; the arm averts exactly 4 in every replicate for
  // 1000·(r+1) more: 2000 / 4 = 500 per case.
  CHECK_THAT(lines[2], Catch::Contains("22.67"));
  CHECK_THAT(lines[3], Catch::Contains("4.00 [4.00, 4.00]"));
  CHECK_THAT(lines[3], Catch::Contains("500.0 ["));
  // A series is no summary column: only declared outcomes are (this sample's series `engaged`
  // is not shown, as no engaged_final total is among its totals).
  CHECK_THAT(lines[2], !Catch::Contains("%"));
  // Right-aligned number columns: the header and rows line up at the end of "cost (USD)".
  const size_t end = lines[1].find("cost (USD)") + std::string("cost (USD)").size();
  CHECK(lines[2].substr(end - 4, 4) == "7.00");

  // A reference model: other totals, no comparisons of cases or cost.
  Results ref;
  ref.scenario_name = "sir";
  ref.replicates = 2;
  ref.steps = 1;
  ref.total_names = {"infected", "peak"};
  ref.series_names = {"active"};
  ref.baseline_arm = "baseline";
  ArmResult a;
  a.name = "baseline";
  a.replicates = {RunResult{{0.1, 0.2}, {}, {}, {1500, 12}, {}},
                  RunResult{{0.1, 0.4}, {}, {}, {2500, 14}, {}}};
  ref.arms.push_back(a);
  const std::string t = format_summary(ref);
  INFO(t);
  CHECK_THAT(t, Catch::Contains("infected"));
  CHECK_THAT(t, Catch::Contains("2,000"));
  CHECK_THAT(t, Catch::Contains("13.00"));
  CHECK_THAT(t, !Catch::Contains("averted"));
  CHECK_THAT(t, Catch::StartsWith("sir: 2 replicates, 1 step"));
}

TEST_CASE("format_number is for people", "[unit]") {
  CHECK(format_number(1234567.8) == "1,234,568");
  CHECK(format_number(-2500) == "-2,500");
  CHECK(format_number(999.96) == "1,000");
  CHECK(format_number(123.26) == "123.3");
  CHECK(format_number(12.5) == "12.50");
  CHECK(format_number(0.00123456) == "0.00123");
  CHECK(format_number(0) == "0");
  CHECK(format_number(std::nan("")) == "n/a");
  CHECK(format_number(HUGE_VAL) == "inf");
}
