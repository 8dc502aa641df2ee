// The sweep report page: offline (no script, no external resource), one scatter plot per metric
// and parameter, a Sobol' bar chart per metric for Sobol' designs, failures said aloud.
#include <catch2/catch.hpp>

#include <cmath>
#include <mutex>
#include <regex>

#include "output/sweep_journal.h"
#include "output/sweep_reader.h"
#include "output/sweep_report.h"
#include "output/sweep_writer.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;

namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

SweepResults sweep_of(const TempDir& d, const std::string& design, const char* fail = nullptr,
                      const std::string& extra = "") {
  write_file(d / "tiny.yaml", std::string(R"(name: tiny
seed: 3
replicates: 2
steps: 6
population: {size: 200, communities: 2, roles: {at_risk: 0.3}}
trafficking: {approach_rate: 0.05}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, cost: {fixed_per_step: 10}}
arms: {baseline: [], media: [media]}
)") + extra);
  write_file(d / "s.yaml", "scenario: tiny.yaml\ndesign: " + design +
                               "\nparameters:\n  model.denial: {min: 0.2, max: 0.9}\n"
                               "  interventions.media.reach: {min: 0.1, max: 0.9}\n"
                               "metrics: [exploited_total, cost_per_case_averted]\n");
  Diagnostics diag;
  const SweepPlan plan = parse_sweep_file(d / "s.yaml", catalog(), {}, diag);
  REQUIRE_FALSE(diag.has_errors());
  SweepJournal j = SweepJournal::create(d / "j", plan.layout, 0, 1);
  std::mutex m;
  TaskQueue q(plan.layout, 0, 1, [](uint64_t) { return false; });
  ExecOptions opt;
  if (fail) opt.hooks.fail = [](uint64_t run) { return run == 1; };
  run_tasks(
      plan, [&] { return q.next(); }, opt,
      [&](std::vector<RunRecord> rs) {
        std::lock_guard lock(m);
        for (auto& r : rs) j.write(r);
      });
  write_sweep_file(plan.layout, j, summarise_journal(plan.layout, j), d / "s.h5", false);
  return read_sweep_results(d / "s.h5");
}

}  // namespace

TEST_CASE("sweep report: scatter plots and Sobol' bars - offline", "[unit]") {
  TempDir d;
  const SweepResults r = sweep_of(d, "{kind: sobol, samples: 8, seed: 1, bootstrap: 20}");
  const std::string html = report::render_sweep_report(r);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK_FALSE(std::regex_search(html, std::regex("(src|href)=\"https?:")));
  for (const char* id : {"id=\"about\"", "id=\"sobol\"", "id=\"scatter\"", "id=\"caveats\""})
    CHECK(html.find(id) != std::string::npos);
  CHECK(count(html, "<svg class=\"plot\"") == 2 * 2);  // metrics × parameters
  CHECK(count(html, "<svg class=\"bars\"") == 2);      // one per metric
  // One point per sample and arm in each plot with values (cost per case averted is undefined
  // for the baseline: those points are left out).
  size_t defined = 0;
  for (const auto& f : r.summary.fields)
    if (f.name == "cost_per_case_averted_mean")
      for (double v : f.numbers) defined += std::isfinite(v);
  CHECK(defined > 0);
  CHECK(count(html, "<circle") == 2 * (32 * 2) + 2 * defined);
  CHECK(html.find("failed") == std::string::npos);
  // The baseline does not run the campaign: its reach is not estimated for it, in the chart and
  // in the table of each metric.
  CHECK(count(html, "class=\"unknown\">not used by this arm") == 2);  // charts
  CHECK(count(html, "<td colspan=\"7\">not used by this arm") == 2);  // tables
  // 8 base points do not determine an index: written out with what it would need, not drawn.
  CHECK(html.find("undetermined") != std::string::npos);
  CHECK(html.find("base samples") != std::string::npos);
  // The noise section, and the estimator named.
  CHECK(html.find("id=\"noise\"") != std::string::npos);
  CHECK(html.find("mean response") != std::string::npos);
  CHECK(html.find("common random numbers") != std::string::npos);
}

TEST_CASE("sweep report: Morris screening - the mu*-sigma chart and the numbers", "[unit]") {
  TempDir d;
  const SweepResults r = sweep_of(d,
                                  "{kind: morris, trajectories: 4, levels: 4, seed: 1, "
                                  "bootstrap: 20}");
  REQUIRE_FALSE(r.morris.fields.empty());
  const std::string html = report::render_sweep_report(r);
  CHECK(html.find("id=\"morris\"") != std::string::npos);
  CHECK(html.find("id=\"sobol\"") == std::string::npos);
  // Scatter plots (metrics × parameters) and one μ*–σ chart per metric.
  CHECK(count(html, "<svg class=\"plot\"") == 2 * 2 + 2);
  CHECK(count(html, "Morris μ* and σ of") == 2);
  // Every (arm, parameter) the arm reads is a point with μ*'s interval; the baseline's reach is
  // not used.
  CHECK(count(html, "not used by this arm") == 2);
  CHECK(html.find("<th>μ*</th>") != std::string::npos);
}

TEST_CASE("sweep report: without indices and with failed runs", "[unit]") {
  TempDir d;
  const SweepResults r = sweep_of(d, "{kind: latin_hypercube, samples: 5, seed: 1}", "fail");
  const std::string html = report::render_sweep_report(r);
  CHECK(html.find("id=\"sobol\"") == std::string::npos);
  CHECK(html.find("<strong>1 failed</strong>") != std::string::npos);
  write_file(d / "r.html", "keep");
  CHECK_THROWS_AS(report::write_sweep_report(r, d / "r.html", false), InputError);
  report::write_sweep_report(r, d / "r.html", true);
  CHECK(is_sweep_file(d / "s.h5"));
}

TEST_CASE("sweep report: the uncertain parameters drawn per replicate are named", "[unit]") {
  TempDir d;
  const SweepResults r =
      sweep_of(d, "{kind: latin_hypercube, samples: 3, seed: 1}", nullptr,
               "uncertainty:\n  trafficking.approach_rate: {uniform: {min: 0.02, max: 0.08}}\n");
  REQUIRE(r.info.drawn_parameters == std::vector<std::string>{"trafficking.approach_rate"});
  const std::string html = report::render_sweep_report(r);
  CHECK(html.find("each replicate drew 1 uncertain parameter(s) of the scenario "
                  "(trafficking.approach_rate)") != std::string::npos);
  TempDir other;
  const SweepResults plain = sweep_of(other, "{kind: latin_hypercube, samples: 3, seed: 1}");
  CHECK(report::render_sweep_report(plain).find("uncertain parameter") == std::string::npos);
}
