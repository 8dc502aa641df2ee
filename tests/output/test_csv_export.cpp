// The CSV export (`fourp report --csv DIR`): tidy long-format files whose values, read back,
// equal the HDF5 datasets exactly (shortest round-trip text), RFC 4180 quoting, NaN and
// infinities, and pandas reading them as they are.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "output/csv_export.h"
#include "output/h5.h"
#include "output/results_file.h"
#include "sim/diagnostics.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;
namespace fs = std::filesystem;

namespace {

const char* kSmall = R"(name: small-csv
seed: 8
replicates: 6
steps: 12
population: {size: 400, communities: 3, roles: {at_risk: 0.25}}
trafficking: {approach_rate: 0.02}
interventions:
  media: {kind: outsider_campaign, reach: 0.4, cost: {fixed_per_step: 10, per_contact: 0.1}}
  together: {kind: partnership, target: {communities: [1]}, cost: {fixed_per_step: 5}}
arms: {baseline: [], media: [media], together: [together]}
outputs: {by_community: true}
uncertainty:
  model.denial: {uniform: {min: 0.5, max: 0.9}}
  trafficking.approach_rate: {uniform: {min: 0.01, max: 0.03}}
decision: {willingness_to_pay: {max: 1000, points: 5}}
)";

// A CSV file as rows of fields (RFC 4180: quoted fields may hold commas, quotes, line breaks).
std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  const std::string s{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"')
        field += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field)), field.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(field)), field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  REQUIRE(rows.back().empty());  // every row ends with a line break
  rows.pop_back();
  return rows;
}

double as_double(const std::string& s) {
  if (s.empty()) return NAN;
  if (s == "Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  REQUIRE(*end == '\0');
  return v;
}

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Runs the small scenario and exports it.
struct Exported {
  TempDir dir;
  fs::path results, csv;
  Exported() {
    write_file(dir / "s.yaml", kSmall);
    results = dir / "s.h5";
    csv = dir / "csv";
    auto r = run_fourp({"run", (dir / "s.yaml").string(), "-o", results.string(), "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    r = run_fourp({"report", results.string(), "--csv", csv.string(), "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
};

const char* kPandasCheck = R"PY(
import sys
import h5py, numpy as np, pandas as pd
f = h5py.File(sys.argv[1], "r")
d = sys.argv[2]
# pandas' default float parser can differ in the last digits; round_trip is exact.
exact = dict(float_precision="round_trip")
s = pd.read_csv(d + "/series.csv", **exact)
assert list(s.columns) == ["arm", "replicate", "step", "metric", "value"], s.columns
assert s["value"].dtype == np.float64 and s["step"].dtype == np.int64
plain = pd.read_csv(d + "/series.csv")
assert np.allclose(plain["value"], s["value"], rtol=1e-12, atol=0, equal_nan=True)
c = pd.read_csv(d + "/communities.csv", **exact)
t = pd.read_csv(d + "/totals.csv", **exact)
k = pd.read_csv(d + "/comparison.csv", **exact)
for arm in f["arms"]:
    for metric in f["arms"][arm]["series"]:
        x = f["arms"][arm]["series"][metric][:]
        got = s[(s.arm == arm) & (s.metric == metric)].pivot(index="replicate", columns="step",
                                                              values="value").to_numpy()
        assert np.array_equal(x, got, equal_nan=True), (arm, metric)
        y = f["arms"][arm]["communities"][metric][:]
        sub = c[(c.arm == arm) & (c.metric == metric)]
        sub = sub.sort_values(["replicate", "step", "community"])
        got = sub["value"].to_numpy().astype(np.float32).reshape(y.shape)
        assert np.array_equal(y, got, equal_nan=True), (arm, metric)
    tt = pd.DataFrame(f["arms"][arm]["totals"][:])
    for total in tt.columns[1:]:
        got = t[(t.arm == arm) & (t.total == total)].sort_values("replicate")["value"].to_numpy()
        assert np.array_equal(tt[total].to_numpy(), got, equal_nan=True), (arm, total)
for arm in f["comparison"]:
    cd = pd.DataFrame(f["comparison"][arm][:])
    got = k[k.arm == arm]
    assert [q.decode() for q in cd["quantity"]] == got["quantity"].tolist()
    for col in ["mean", "low", "high"]:
        assert np.array_equal(cd[col].to_numpy(), got[col].to_numpy(), equal_nan=True), (arm, col)
print("ok")
)PY";

}  // namespace

TEST_CASE("csv: every value read back equals the HDF5 dataset", "[csv]") {
  Exported e;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(e.csv)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"at_risk.csv", "communities.csv", "comparison.csv",
                                          "decision_acceptability.csv", "decision_evpi.csv",
                                          "decision_evppi.csv", "decision_frontier.csv",
                                          "decision_prcc.csv", "parameters.csv", "series.csv",
                                          "totals.csv"});

  h5::File f = h5::File::open(e.results);
  const std::vector<std::string> arms = h5::children(f, "arms");
  const std::vector<std::string> metrics = h5::children(f, "arms/baseline/series");
  REQUIRE(arms == std::vector<std::string>{"baseline", "media", "together"});
  const size_t reps = 6, rows = 13, communities = 3;

  for (const char* group : {"series", "at_risk"}) {
    INFO(group);
    const auto csv = read_csv(e.csv / (std::string(group) + ".csv"));
    REQUIRE(csv[0] == std::vector<std::string>{"arm", "replicate", "step", "metric", "value"});
    REQUIRE(csv.size() == 1 + arms.size() * reps * metrics.size() * rows);
    size_t i = 1;
    for (const std::string& arm : arms)
      for (size_t rep = 0; rep < reps; ++rep)
        for (const std::string& m : metrics) {
          const std::vector<double> x =
              h5::read_array<double>(f, "arms/" + arm + "/" + group + "/" + m);
          for (size_t t = 0; t < rows; ++t, ++i) {
            const auto& row = csv[i];
            REQUIRE(row.size() == 5);
            CHECK(row[0] == arm);
            CHECK(row[1] == std::to_string(rep));
            CHECK(row[2] == std::to_string(t));
            CHECK(row[3] == m);
            if (!same(as_double(row[4]), x[rep * rows + t]))
              FAIL_CHECK(arm << " " << m << " " << row[4]);
          }
        }
  }

  const auto com = read_csv(e.csv / "communities.csv");
  REQUIRE(com[0] ==
          std::vector<std::string>{"arm", "replicate", "step", "community", "metric", "value"});
  REQUIRE(com.size() == 1 + arms.size() * reps * metrics.size() * rows * communities);
  size_t i = 1, mismatches = 0;
  for (const std::string& arm : arms)
    for (size_t rep = 0; rep < reps; ++rep)
      for (const std::string& m : metrics) {
        const std::vector<float> x = h5::read_array<float>(f, "arms/" + arm + "/communities/" + m);
        for (size_t t = 0; t < rows; ++t)
          for (size_t c = 0; c < communities; ++c, ++i) {
            const auto& row = com[i];
            const float v = row[5].empty() ? NAN : std::strtof(row[5].c_str(), nullptr);
            const float want = x[(rep * rows + t) * communities + c];
            const bool ok = row[0] == arm && row[1] == std::to_string(rep) &&
                            row[2] == std::to_string(t) && row[3] == std::to_string(c) &&
                            row[4] == m && ((std::isnan(v) && std::isnan(want)) || v == want);
            mismatches += !ok;
          }
      }
  CHECK(mismatches == 0);

  const auto totals = read_csv(e.csv / "totals.csv");
  REQUIRE(totals[0] == std::vector<std::string>{"arm", "replicate", "total", "value"});
  i = 1;
  for (const std::string& arm : arms) {
    const h5::Table t = h5::read_table(f, "arms/" + arm + "/totals");
    for (size_t rep = 0; rep < reps; ++rep)
      for (size_t k = 1; k < t.fields.size(); ++k, ++i) {  // field 0 is the replicate
        CHECK(totals[i] ==
              std::vector<std::string>{arm, std::to_string(rep), t.fields[k].name, totals[i][3]});
        CHECK(same(as_double(totals[i][3]), t.fields[k].numbers[rep]));
      }
  }
  CHECK(i == totals.size());

  const auto cmp = read_csv(e.csv / "comparison.csv");
  REQUIRE(cmp[0] == std::vector<std::string>{"arm", "baseline", "quantity", "mean", "low", "high"});
  i = 1;
  for (const std::string& arm : h5::children(f, "comparison")) {
    const h5::Table t = h5::read_table(f, "comparison/" + arm);
    for (size_t q = 0; q < t.rows(); ++q, ++i) {
      CHECK(cmp[i][0] == arm);
      CHECK(cmp[i][1] == "baseline");
      CHECK(cmp[i][2] == t.fields[0].strings[q]);
      for (size_t k = 1; k <= 3; ++k) CHECK(same(as_double(cmp[i][2 + k]), t.fields[k].numbers[q]));
    }
  }
  CHECK(i == cmp.size());

  // The uncertain parameters, one row per replicate and parameter.
  const auto par = read_csv(e.csv / "parameters.csv");
  REQUIRE(par[0] == std::vector<std::string>{"replicate", "parameter", "value"});
  {
    const h5::Table t = h5::read_table(f, "parameters");
    REQUIRE(t.fields.size() == 3);  // replicate, model.denial, trafficking.approach_rate
    REQUIRE(par.size() == 1 + reps * 2);
    for (size_t rep = 0; rep < reps; ++rep)
      for (size_t k = 0; k < 2; ++k) {
        const auto& row = par[1 + rep * 2 + k];
        CHECK(row[0] == std::to_string(rep));
        CHECK(row[1] == t.fields[1 + k].name);
        CHECK(same(as_double(row[2]), t.fields[1 + k].numbers[rep]));
      }
  }

  // The decision analysis: the frontier table as it is, acceptability and EVPPI in long form.
  const h5::Table arms_t = h5::read_table(f, "decision/arms");
  const auto fr = read_csv(e.csv / "decision_frontier.csv");
  REQUIRE(fr.size() == 1 + arms_t.rows());
  CHECK(fr[0] == std::vector<std::string>{"arm", "status", "compared_with", "mean_cost",
                                          "mean_effect", "icer", "probability_most_effective"});
  for (size_t a = 0; a < arms_t.rows(); ++a) {
    for (size_t k = 0; k < 3; ++k) CHECK(fr[1 + a][k] == arms_t.fields[k].strings[a]);
    for (size_t k = 3; k < 7; ++k)
      CHECK(same(as_double(fr[1 + a][k]), arms_t.fields[k].numbers[a]));
  }
  const h5::Table acc_t = h5::read_table(f, "decision/acceptability");
  const auto acc = read_csv(e.csv / "decision_acceptability.csv");
  REQUIRE(acc_t.rows() == 5);
  REQUIRE(acc.size() == 1 + 5 * arms.size());
  const auto evpi = read_csv(e.csv / "decision_evpi.csv");
  REQUIRE(evpi.size() == 6);
  for (size_t l = 0; l < 5; ++l) {
    CHECK(same(as_double(evpi[1 + l][0]), acc_t.fields[0].numbers[l]));
    CHECK(same(as_double(evpi[1 + l][1]), acc_t.fields[1].numbers[l]));
    for (size_t a = 0; a < arms.size(); ++a) {
      const auto& row = acc[1 + l * arms.size() + a];
      CHECK(same(as_double(row[0]), acc_t.fields[0].numbers[l]));
      CHECK(row[1] == arms_t.fields[0].strings[a]);
      CHECK(same(as_double(row[2]), acc_t.fields[3 + 2 * a].numbers[l]));  // probability_best.<arm>
      CHECK(same(as_double(row[3]), acc_t.fields[4 + 2 * a].numbers[l]));  // expected_nmb.<arm>
      CHECK(row[4] == (acc_t.fields[2].strings[l] == row[1] ? "1" : "0"));
    }
  }
  const h5::Table ev_t = h5::read_table(f, "decision/evppi");
  const auto ev = read_csv(e.csv / "decision_evppi.csv");
  REQUIRE(ev.size() == 1 + 2 * 5);
  for (size_t k = 0; k < 2; ++k)
    for (size_t l = 0; l < 5; ++l) {
      CHECK(ev[1 + k * 5 + l][0] == ev_t.fields[1 + k].name);
      CHECK(same(as_double(ev[1 + k * 5 + l][2]), ev_t.fields[1 + k].numbers[l]));
    }
  const h5::Table pr_t = h5::read_table(f, "decision/prcc");
  const auto pr = read_csv(e.csv / "decision_prcc.csv");
  REQUIRE(pr.size() == 1 + pr_t.rows());
  REQUIRE(pr_t.rows() == 2 * 2);  // two arms besides the baseline, two parameters
  for (size_t i2 = 0; i2 < pr_t.rows(); ++i2) {
    CHECK(pr[1 + i2][0] == pr_t.fields[0].strings[i2]);
    CHECK(pr[1 + i2][1] == pr_t.fields[1].strings[i2]);
    for (size_t k = 2; k < 5; ++k)
      CHECK(same(as_double(pr[1 + i2][k]), pr_t.fields[k].numbers[i2]));
  }

  if (std::system("/usr/bin/python3 -c 'import h5py, pandas' >/dev/null 2>&1") != 0)
    return skip_or_fail("python3 with h5py and pandas not found: the pandas check");
  write_file(e.dir / "check.py", kPandasCheck);
  const std::string cmd = "/usr/bin/python3 " + (e.dir / "check.py").string() + " " +
                          e.results.string() + " " + e.csv.string() + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  const int status = pclose(p);
  INFO(out);
  CHECK(status == 0);
  CHECK(out == "ok\n");
}

TEST_CASE("csv: quoting, NaN, infinities and full precision", "[csv]") {
  Results r;
  r.steps = 1;
  r.replicates = 1;
  r.communities = 1;
  r.series_names = {"odd \"metric\""};
  r.total_names = {"x"};
  r.outputs.subgroup = "at_risk";
  r.baseline_arm = "a,b";
  ArmResult arm;
  arm.name = "a,b";
  RunResult run;
  run.series = {0.1 + 0.2, NAN};
  run.subgroup = {INFINITY, -INFINITY};
  run.communities = {0.1f, 1e-30f};
  run.totals = {1.0 / 3.0};
  arm.replicates.push_back(run);
  r.arms.push_back(arm);
  r.comparisons = {{"a,b", "a,b", {{"line\nbreak", 5e-324, -0.0, 1e300}}}};
  TempDir d;
  write_csv(r, d / "out" / "csv", false);  // creates the directories
  const auto s = read_csv(d / "out" / "csv" / "series.csv");
  REQUIRE(s.size() == 3);
  CHECK(s[1] == std::vector<std::string>{"a,b", "0", "0", "odd \"metric\"", "0.30000000000000004"});
  CHECK(s[2][4].empty());  // NaN
  CHECK(as_double(s[1][4]) == 0.1 + 0.2);
  const auto a = read_csv(d / "out" / "csv" / "at_risk.csv");
  CHECK(a[1][4] == "Inf");
  CHECK(a[2][4] == "-Inf");
  const auto c = read_csv(d / "out" / "csv" / "communities.csv");
  CHECK(c[1][5] == "0.1");  // the float's shortest text, not its double expansion
  CHECK(std::strtof(c[2][5].c_str(), nullptr) == 1e-30f);
  CHECK(as_double(read_csv(d / "out" / "csv" / "totals.csv")[1][3]) == 1.0 / 3.0);
  const auto k = read_csv(d / "out" / "csv" / "comparison.csv");
  CHECK(k[1] == std::vector<std::string>{"a,b", "a,b", "line\nbreak", "5e-324", "-0", "1e+300"});
  // The raw text quotes exactly the fields that need it.
  std::ifstream in(d / "out" / "csv" / "series.csv");
  std::string header, line;
  std::getline(in, header);
  std::getline(in, line);
  CHECK(line == "\"a,b\",0,0,\"odd \"\"metric\"\"\",0.30000000000000004");

  // Existing files are not replaced without overwrite; nothing is half-written.
  CHECK_THROWS_AS(write_csv(r, d / "out" / "csv", false), InputError);
  CHECK_THROWS_WITH(check_csv_targets(d / "out" / "csv", "at_risk", false),
                    Catch::Contains("series.csv: error: file exists"));
  CHECK_NOTHROW(write_csv(r, d / "out" / "csv", true));
  write_file(d / "plain", "x");
  CHECK_THROWS_WITH(check_csv_targets(d / "plain", "at_risk", true),
                    Catch::Contains("not a directory"));
}
