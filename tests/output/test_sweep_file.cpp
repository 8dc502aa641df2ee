// The sweep journal (records survive, torn records are ignored, a journal of another sweep is
// refused) and the sweep file (SCENARIO.md layout, identical bytes from the same records however
// they were produced, shards merged only when they belong together, the values each run drew).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>

#include "output/h5.h"
#include "output/journal_writer.h"
#include "output/sweep_journal.h"
#include "output/sweep_merge.h"
#include "output/sweep_reader.h"
#include "output/sweep_writer.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"
#include "sim/uncertainty.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;
namespace fs = std::filesystem;

namespace {

const char* kScenario = R"(name: tiny
seed: 3
replicates: 2
steps: 6
population: {size: 200, communities: 2, roles: {at_risk: 0.3}}
network: {kind: villages, within_degree: 4}
trafficking: {approach_rate: 0.05}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, cost: {fixed_per_step: 10}}
arms: {baseline: [], media: [media]}
)";

SweepPlan plan_of(const TempDir& dir, const std::string& design =
                                          "{kind: sobol, samples: 4, "
                                          "seed: 9, bootstrap: 50}") {
  write_file(dir / "tiny.yaml", kScenario);
  write_file(dir / "sweep.yaml", "scenario: tiny.yaml\nreplicates: 2\ndesign: " + design +
                                     "\nparameters:\n  model.denial: {min: 0.2, max: 0.9}\n"
                                     "  interventions.media.reach: {min: 0.1, max: 0.9}\n");
  Diagnostics diag;
  SweepPlan plan = parse_sweep_file(dir / "sweep.yaml", catalog(), {}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return plan;
}

std::vector<RunRecord> run_all(const SweepPlan& plan) {
  std::vector<RunRecord> all(plan.layout.runs());
  std::mutex m;
  TaskQueue q(plan.layout, 0, 1, [](uint64_t) { return false; });
  run_tasks(
      plan, [&] { return q.next(); }, {},
      [&](std::vector<RunRecord> rs) {
        std::lock_guard lock(m);
        for (auto& r : rs) all[r.run] = std::move(r);
      });
  return all;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Epoch {  // identical bytes: fixed created_utc
  Epoch() { setenv("SOURCE_DATE_EPOCH", "1700000000", 1); }
  ~Epoch() { unsetenv("SOURCE_DATE_EPOCH"); }
};

}  // namespace

TEST_CASE("journal: records survive reopening and missing or torn slots read as not done",
          "[unit]") {
  TempDir d;
  const SweepPlan plan = plan_of(d);
  const fs::path path = d / "out.h5.journal";
  RunRecord a{3, true, std::vector<double>(plan.layout.totals.size(), 1.5), ""};
  RunRecord b{5, false, {}, std::string(500, 'x')};  // cut to 200 bytes
  {
    SweepJournal j = SweepJournal::create(path, plan.layout, 0, 1);
    j.write(a);
    j.write(b);
    j.sync();
    CHECK_THROWS_AS(SweepJournal::create(path, plan.layout, 0, 1), InputError);
  }
  SweepJournal j = SweepJournal::open(path, plan.layout, 0, 1);
  auto status = j.scan();
  CHECK(status.size() == plan.layout.runs());
  CHECK(status[3] == RunStatus::ok);
  CHECK(status[5] == RunStatus::failed);
  CHECK(std::count(status.begin(), status.end(), RunStatus::not_recorded) ==
        long(plan.layout.runs() - 2));
  std::vector<RunRecord> records;
  std::vector<bool> present;
  j.read(3, 3, records, present);
  CHECK(present == std::vector<bool>{true, false, true});
  CHECK(records[0].totals == a.totals);
  CHECK(records[2].error == std::string(kJournalErrorBytes, 'x'));

  // A torn write (a crash in the middle of a slot): one byte of run 3's slot changed.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    const size_t slot = (16 + 8 * plan.layout.totals.size() + kJournalErrorBytes + 8 + 7) / 8 * 8;
    f.seekp(static_cast<std::streamoff>(4096 + 3 * slot + 24));
    f.put('\x7f');
  }
  uint64_t damaged = 99;
  status = SweepJournal::open(path, plan.layout, 0, 1).scan(&damaged);
  CHECK(status[3] == RunStatus::not_recorded);
  CHECK(status[5] == RunStatus::failed);
  CHECK(damaged == 1);  // run 3's slot holds bytes but no record; empty slots are not damage
}

TEST_CASE("journal: a journal of another sweep or shard is refused", "[unit]") {
  TempDir d;
  const SweepPlan plan = plan_of(d);
  const fs::path path = d / "j";
  SweepJournal::create(path, plan.layout, 1, 3);
  SweepLayout other = plan.layout;
  other.metrics.pop_back();
  other.hash = other.compute_hash();
  CHECK_THROWS_WITH(SweepJournal::open(path, other, 1, 3),
                    Catch::Contains("belongs to another sweep"));
  CHECK_THROWS_WITH(SweepJournal::open(path, plan.layout, 0, 3),
                    Catch::Contains("this journal is of shard 1/3"));
  write_file(d / "junk", "not a journal");
  CHECK_THROWS_WITH(SweepJournal::open(d / "junk", plan.layout, 0, 1),
                    Catch::Contains("not a fourp sweep journal"));
}

TEST_CASE("sweep file: the layout of SCENARIO.md read back", "[unit]") {
  Epoch epoch;
  TempDir d;
  const SweepPlan plan = plan_of(d);
  const SweepLayout& L = plan.layout;
  const auto all = run_all(plan);
  SweepJournal j = SweepJournal::create(d / "out.h5.journal", L, 0, 1);
  {
    JournalWriter w(j);
    for (const auto& r : all) w.push(r);
    w.finish();
  }
  write_sweep_file(L, j, summarise_journal(L, j), d / "out.h5", false);
  CHECK(is_sweep_file(d / "out.h5"));
  const SweepResults r = read_sweep_results(d / "out.h5");
  CHECK(r.info.layout.hash == L.hash);
  CHECK(r.info.layout.samples == L.samples);
  CHECK(r.info.runs == L.runs());
  CHECK(r.info.failed_runs == 0);
  // One row per sample and arm, with the parameters and mean and sd of every metric.
  CHECK(r.summary.rows() == L.sample_count() * L.arms.size());
  std::vector<std::string> names;
  for (const auto& f : r.summary.fields) names.push_back(f.name);
  CHECK(names[0] == "sample");
  CHECK(names[1] == "arm");
  CHECK(names[2] == "model.denial");
  CHECK(std::find(names.begin(), names.end(), "exploited_mean") != names.end());
  CHECK(std::find(names.begin(), names.end(), "cost_per_case_averted_sd") != names.end());
  // Sobol indices: one row per arm, metric and parameter; the baseline does not read the
  // campaign's reach (arm_reads "10": model.denial yes, interventions.media.reach no).
  CHECK(r.sobol.rows() == L.arms.size() * L.metrics.size() * L.parameters.size());
  CHECK(r.noise.rows() == L.arms.size() * L.metrics.size());
  CHECK(r.morris.fields.empty());
  CHECK(r.info.layout.reads == L.reads);
  CHECK(L.reads == std::vector<uint8_t>{1, 0, 1, 1});
  {
    const h5::Field *read = nullptr, *estimator = nullptr, *total = nullptr;
    for (const auto& f : r.sobol.fields) {
      if (f.name == "read") read = &f;
      if (f.name == "estimator") estimator = &f;
      if (f.name == "total") total = &f;
    }
    REQUIRE(read);
    REQUIRE(estimator);
    REQUIRE(total);
    CHECK(read->numbers[1] == 0);  // baseline, first metric, reach
    CHECK(estimator->strings[1] == "not_read");
    CHECK(std::isnan(total->numbers[1]));
    CHECK(read->numbers[0] == 1);
    CHECK(estimator->strings[0] == "mean_response");
  }
  h5::File f = h5::File::open(d / "out.h5");
  CHECK(h5::read_attr<std::string>(f, "kind") == "fourp sweep");
  CHECK(h5::read_attr<std::string>(f, "created_utc") == "2023-11-14T22:13:20Z");
  const h5::Table runs = h5::read_table(f, "runs");
  CHECK(runs.rows() == L.runs());
  const h5::DatasetInfo info = h5::describe(f, "runs");
  CHECK(info.chunked);
  CHECK(info.deflate);
  // A second file from the same records, written in another order: the same bytes.
  SweepJournal j2 = SweepJournal::create(d / "again.journal", L, 0, 1);
  for (size_t k = all.size(); k-- > 0;) j2.write(all[k]);
  write_sweep_file(L, j2, summarise_journal(L, j2), d / "again.h5", false);
  CHECK(slurp(d / "again.h5") == slurp(d / "out.h5"));
  CHECK_THROWS_AS(write_sweep_file(L, j2, summarise_journal(L, j2), d / "again.h5", false),
                  InputError);
  // A results file is not a sweep file.
  CHECK_FALSE(is_sweep_file(d / "sweep.yaml"));
}

TEST_CASE("sweep file: shards merge into the whole and shards of another sweep are refused",
          "[unit]") {
  Epoch epoch;
  TempDir d;
  const SweepPlan plan = plan_of(d);
  const SweepLayout& L = plan.layout;
  const auto all = run_all(plan);
  SweepJournal whole = SweepJournal::create(d / "whole.journal", L, 0, 1);
  for (const auto& r : all) whole.write(r);
  write_sweep_file(L, whole, summarise_journal(L, whole), d / "whole.h5", false);

  std::vector<fs::path> shards;
  for (uint32_t s = 0; s < 3; ++s) {
    SweepJournal j = SweepJournal::create(d / fmt::format("s{}.journal", s), L, s, 3);
    for (const auto& r : all)
      if (in_shard(r.run / L.arms.size(), s, 3)) j.write(r);
    shards.push_back(d / fmt::format("s{}.h5", s));
    write_shard_file(L, j, shards.back(), false, s, 3);
    CHECK_FALSE(is_sweep_file(shards.back()));
    CHECK(read_sweep_info(shards.back()).is_shard);
  }
  merge_shard_files({shards[2], shards[0], shards[1]}, d / "merged.h5", false, L.outputs, L.drawn);
  CHECK(slurp(d / "merged.h5") == slurp(d / "whole.h5"));
  CHECK_FALSE(fs::exists(d / ".merged.h5.merge-journal"));

  CHECK_THROWS_WITH(
      merge_shard_files({shards[0], shards[1]}, d / "m2.h5", false, L.outputs, L.drawn),
      Catch::Contains("missing shard 2/3"));
  CHECK_THROWS_WITH(
      merge_shard_files({shards[0], shards[1], shards[1]}, d / "m2.h5", false, L.outputs, L.drawn),
      Catch::Contains("shard 1/3 is given twice"));

  // A shard of another sweep (another design seed: other samples).
  TempDir e;
  const SweepPlan other = plan_of(e, "{kind: sobol, samples: 4, seed: 10, bootstrap: 50}");
  const auto other_runs = run_all(other);
  SweepJournal oj = SweepJournal::create(e / "o.journal", other.layout, 2, 3);
  for (const auto& r : other_runs)
    if (in_shard(r.run / L.arms.size(), 2, 3)) oj.write(r);
  write_shard_file(other.layout, oj, e / "o2.h5", false, 2, 3);
  CHECK_THROWS_WITH(merge_shard_files({shards[0], shards[1], e / "o2.h5"}, d / "m3.h5", false,
                                      L.outputs, L.drawn),
                    Catch::Contains("a shard of a different sweep"));
  CHECK_FALSE(fs::exists(d / "m3.h5"));
}

TEST_CASE("sweep file: /runs records the values each run drew, also when shards are merged",
          "[unit]") {
  Epoch epoch;
  TempDir d;
  write_file(d / "tiny.yaml", std::string(kScenario) + R"(uncertainty:
  model.denial: {beta: {mean: 0.6, sd: 0.15}}
  trafficking.approach_rate: {uniform: {min: 0.01, max: 0.05}}
)");
  write_file(d / "sweep.yaml", R"(scenario: tiny.yaml
replicates: 2
design: {kind: grid}
parameters:
  model.denial: {values: [0.3, 0.6]}
)");
  Diagnostics diag;
  const SweepPlan plan = parse_sweep_file(d / "sweep.yaml", catalog(), {}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  const SweepLayout& L = plan.layout;
  REQUIRE(L.drawn.size() == 1);  // denial is swept
  const auto all = run_all(plan);
  SweepJournal whole = SweepJournal::create(d / "whole.journal", L, 0, 1);
  for (const auto& r : all) whole.write(r);
  write_sweep_file(L, whole, summarise_journal(L, whole), d / "whole.h5", false);

  const std::vector<std::string> drawn = {"trafficking.approach_rate"};
  CHECK(read_sweep_info(d / "whole.h5").drawn_parameters == drawn);
  h5::File f = h5::File::open(d / "whole.h5");
  CHECK(h5::read_attr<std::vector<std::string>>(f, "drawn_parameters") == drawn);
  const h5::Table runs = h5::read_table(f, "runs");
  REQUIRE(runs.fields.size() > 6);
  CHECK(runs.fields[4].name == "seed");
  CHECK(runs.fields[5].name == "trafficking.approach_rate");  // the run's inputs, then `ok`
  CHECK(runs.fields[6].name == "ok");
  // What `fourp run --seed <the run's seed>` draws for its replicate (approach_rate is the
  // scenario's second uncertain parameter): the same for both arms and both samples.
  Scenario fourp_run = scenario_from_yaml(std::string(kScenario) + R"(uncertainty:
  model.denial: {beta: {mean: 0.6, sd: 0.15}}
  trafficking.approach_rate: {uniform: {min: 0.01, max: 0.05}}
)");
  fourp_run.seed = L.seed_of(0);
  REQUIRE(runs.rows() == L.runs());
  for (size_t k = 0; k < runs.rows(); ++k) {
    const RunPlan p = L.run(k);
    INFO("run " << k);
    CHECK(runs.fields[5].numbers[k] == draw_parameters(fourp_run, p.replicate)[1]);
  }
  CHECK(runs.fields[5].numbers[0] != runs.fields[5].numbers[L.arms.size()]);  // replicates differ

  // Shards carry them too, and the merge computes them again from the distributions it is given.
  std::vector<fs::path> shards;
  for (uint32_t s = 0; s < 2; ++s) {
    SweepJournal j = SweepJournal::create(d / fmt::format("s{}.journal", s), L, s, 2);
    for (const auto& r : all)
      if (in_shard(r.run / L.arms.size(), s, 2)) j.write(r);
    shards.push_back(d / fmt::format("s{}.h5", s));
    write_shard_file(L, j, shards.back(), false, s, 2);
    CHECK(read_sweep_info(shards.back()).drawn_parameters == drawn);
  }
  merge_shard_files(shards, d / "merged.h5", false, L.outputs, L.drawn);
  CHECK(slurp(d / "merged.h5") == slurp(d / "whole.h5"));
  CHECK_THROWS_WITH(merge_shard_files(shards, d / "m2.h5", false, L.outputs, {}),
                    Catch::Contains("its runs drew [trafficking.approach_rate], but the merge was "
                                    "given []"));

  // Without uncertainty: no attribute, no column.
  TempDir e;
  const SweepPlan certain = plan_of(e);
  SweepJournal cj = SweepJournal::create(e / "c.journal", certain.layout, 0, 1);
  for (const auto& r : run_all(certain)) cj.write(r);
  write_sweep_file(certain.layout, cj, summarise_journal(certain.layout, cj), e / "c.h5", false);
  h5::File c = h5::File::open(e / "c.h5");
  CHECK_FALSE(h5::has_attr(c, "drawn_parameters"));
  CHECK(h5::read_table(c, "runs").fields[5].name == "ok");
}

TEST_CASE("sweep file: a file that is not a sweep file", "[unit]") {
  TempDir d;
  write_file(d / "x.h5", "hello");
  CHECK_THROWS_WITH(read_sweep_info(d / "x.h5"), Catch::Contains("not an HDF5 file"));
  CHECK_THROWS_WITH(read_sweep_info(d / "none.h5"), Catch::Contains("no such file"));
  {
    h5::File f = h5::File::create(d / "r.h5");
    h5::write_attr(f, "format_version", int64_t{1});
    f.close();
  }
  CHECK_THROWS_WITH(read_sweep_info(d / "r.h5"), Catch::Contains("not a fourp sweep file"));
  CHECK_FALSE(is_sweep_file(d / "r.h5"));
}
