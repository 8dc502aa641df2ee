// The HTML report (`fourp report`, `fourp run --report`): every section in order, one chart per
// series, findings whose numbers are those of the results file (recomputed here from the HDF5
// datasets, not from the report's code), wording that never claims more than the interval,
// graceful degradation for other models, and the program's contract on bad input (exit 2, a
// `file: error:` message, no partial report) and on existing files (never replaced silently).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "output/decision_report.h"
#include "output/h5.h"
#include "output/report_findings.h"
#include "output/report_html.h"
#include "output/report_numbers.h"
#include "output/report_scenario.h"
#include "output/results_file.h"
#include "output/summary_table.h"
#include "output/svg_chart.h"
#include "sim/comparison.h"
#include "sim/decision_analysis.h"
#include "sim/diagnostics.h"
#include "sim/scenario_parse.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;
namespace fs = std::filesystem;

namespace {

// Two communities; a partnership in community 0; an "idle" campaign that reaches nobody, so
// that its difference from the baseline is exactly zero in every replicate (common random
// numbers) and its interval [0, 0] must read "not distinguishable from zero".
const char* kSmall = R"(name: small-report
description: A tiny district for testing the report.
seed: 11
replicates: 4
steps: 30
step_unit: week
population: {size: 600, communities: 2, roles: {at_risk: 0.3}}
trafficking: {approach_rate: 0.03}
interventions:
  partnership: {kind: partnership, start: 2, power_sharing: 0.9, recruit_per_step: 4,
                target: {communities: [0]}, cost: {fixed_per_step: 100, per_partner_step: 2}}
  idle: {kind: outsider_campaign, reach: 0, cost: {fixed_per_step: 10}}
arms: {baseline: [], partnership: [partnership], idle: [idle]}
outputs: {by_community: true, snapshots: [0]}
)";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The small scenario run once for all tests of this file (results and report in one go).
struct SmallRun {
  TempDir dir;
  fs::path results, report;
  SmallRun() {
    write_file(dir / "small.yaml", kSmall);
    results = dir / "small.h5";
    report = dir / "small.html";
    auto r = run_fourp({"run", (dir / "small.yaml").string(), "-o", results.string(), "--report",
                        report.string(), "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
};
const SmallRun& small_run() {
  static const SmallRun run;
  return run;
}

// "2.50–7.25", or "-1.00 to 3.00" when an end is negative (as the report writes ranges).
std::string range(double lo, double hi) {
  if (lo < 0 || hi < 0) return format_number(lo) + " to " + format_number(hi);
  return format_number(lo) + "\u2013" + format_number(hi);
}

std::string upper_first(std::string s) {
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// A results object with the prevention model's names and chosen comparisons, for wording.
Results crafted_results() {
  Results r;
  r.fourp_version = "0.1.0";
  r.scenario_name = "crafted";
  r.scenario_yaml = "name: crafted\ninterventions: {}\narms: {}\n";
  r.seed = 3;
  r.replicates = 3;
  r.steps = 104;
  r.step_unit = "week";
  r.currency = "EUR";
  r.communities = 1;
  r.community_sizes = {1000};
  r.series_names = {"awareness", "engaged", "exploited"};
  r.total_names = {"exploited", "engaged_final", "cost_total"};
  r.outputs = test::catalog().find("prevention")->outputs;  // labels, headline, cost, subgroup
  r.baseline_arm = "baseline";
  r.network.nodes = 1000;
  r.network.edges = 4000;
  r.network.mean_degree = 8;
  r.network.clustering = 0.25;
  r.network.degree_histogram = {0, 0, 10, 990};
  const std::vector<std::string> arms = {"baseline", "up", "down", "flat"};
  for (size_t a = 0; a < arms.size(); ++a) {
    ArmResult arm;
    arm.name = arms[a];
    if (a > 0) arm.interventions = {"x"};
    for (size_t k = 0; k < r.replicates; ++k) {
      RunResult run;
      run.series.assign(r.series_names.size() * r.rows(), 0.1 * double(a + 1));
      run.communities.assign(r.series_names.size() * r.rows(), 0.2f);
      run.totals = {40.0 + double(k), 0.1 + 0.01 * double(a), 1000.0 * double(a)};
      if (k == 0) {
        Snapshot s;
        s.step = 0;
        std::vector<double> at_risk(1000, 0.0);
        std::fill(at_risk.begin(), at_risk.begin() + 250, 1.0);  // 250 at-risk people
        s.columns = {{"at_risk", Column::Type::u8, at_risk}};
        run.snapshots.push_back(s);
      }
      arm.replicates.push_back(std::move(run));
    }
    r.arms.push_back(std::move(arm));
  }
  auto cmp = [&](const std::string& arm, Difference cases, Difference engaged) {
    Comparison c{arm, "baseline", {}};
    c.differences = {{"exploited", -cases.mean, -cases.high, -cases.low},
                     engaged,
                     {"cost_total", 1000, 900, 1100},
                     cases,
                     {"cost_per_case_averted", 1000 / cases.mean, 50, 400}};
    return c;
  };
  r.comparisons = {
      cmp("up", {"cases_averted", 10, 5, 15}, {"engaged_final", 0.05, 0.04, 0.06}),
      cmp("down", {"cases_averted", -4, -6, -2}, {"engaged_final", -0.02, -0.03, -0.01}),
      cmp("flat", {"cases_averted", 1, -2, 4}, {"engaged_final", 0.001, -0.01, 0.012})};
  return r;
}

}  // namespace

TEST_CASE("report: every section in order, one chart per series, nothing fetched", "[report]") {
  const std::string html = slurp(small_run().report);
  REQUIRE(html.size() > 10000);
  size_t last = 0;
  for (const char* id : {"compared", "findings", "series", "totals", "decision", "communities",
                         "network", "caveats"}) {
    INFO(id);
    const size_t at = html.find(std::string("<section id=\"") + id + "\">");
    REQUIRE(at != std::string::npos);
    CHECK(at > last);
    last = at;
  }
  // Section 3: one chart for each of the seven series views, each a single SVG.
  for (const char* m :
       {"awareness", "otherness", "trust", "efficacy", "engaged", "exploited", "prevented"}) {
    INFO(m);
    const size_t at = html.find(std::string("<figure id=\"series-") + m + "\">");
    REQUIRE(at != std::string::npos);
    const size_t end = html.find("</figure>", at);
    CHECK(count(html.substr(at, end - at), "<svg") == 1);
  }
  CHECK(count(html, "<figure id=\"series-") == 7);
  CHECK(count(html, "<figure id=\"heatmap-") == 3);  // one per arm
  for (const char* id :
       {"forest-cases_averted", "forest-engaged_final", "ce-plane", "degree-distribution"})
    CHECK(html.find(std::string("<figure id=\"") + id + "\">") != std::string::npos);
  // Section 1: the interventions in plain words, with their schedule, target and cost.
  CHECK(html.find("partnership programme \u201cpartnership\u201d from week 2 to the end, in 1 of "
                  "2 communities (0); power sharing 0.9") != std::string::npos);
  CHECK(html.find("each person reached with probability 0 a week") != std::string::npos);
  CHECK(html.find("600 people in 2 communities of 300 people each") != std::string::npos);
  // Section 7: the caveats, the provenance and the scenario, collapsed.
  CHECK(html.find("exploratory model, not a forecast") != std::string::npos);
  CHECK(html.find("<details>") != std::string::npos);
  CHECK(html.find("<td>seed</td><td class=\"text\">11</td>") != std::string::npos);
  CHECK(html.find(std::string("fourp ") + FOURP_VERSION) != std::string::npos);
  // Offline: no script, no external resource; the only URL is the SVG namespace.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(count(html, "http") == count(html, "http://www.w3.org/2000/svg"));
}

TEST_CASE("report: the Decision section words the decision analysis", "[report]") {
  // Cases: the baseline 40, 41, 42 in replicates 0–2; "up" 30 in each (10, 11, 12 averted, mean
  // 11) for EUR 1,000; "down" 44 + k (4 more) for 2,000; "flat" 40 + k (none averted) for 3,000.
  // ICER of up: 1,000 / 11 = 90.9, so the grid runs to 200 and its middle is EUR 100. There up's
  // net benefit is 0, 100, 200 and the baseline's 0: up is best in replicates 1 and 2 (a tie goes
  // to the baseline), 67% of the 3 draws.
  Results r = crafted_results();
  const double cases[] = {40, 30, 44, 40}, cost[] = {0, 1000, 2000, 3000};
  for (size_t a = 0; a < 4; ++a)
    for (size_t k = 0; k < 3; ++k)
      r.arms[a].replicates[k].totals = {cases[a] + (a == 1 ? 0.0 : double(k)), 0.1, cost[a]};
  r.parameter_names = {"model.denial"};
  r.parameters = {{0.5}, {0.6}, {0.7}};
  r.decision = analyse_decision(r, WillingnessToPay{});
  REQUIRE(r.decision.has_value());
  REQUIRE(r.decision->lambdas[report::focus_lambda(*r.decision)] == Approx(100));
  const std::string html = report::render_report(r, nullptr);
  const size_t at = html.find("<section id=\"decision\">\n<h2>5. Decision</h2>");
  REQUIRE(at != std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  CHECK(section.find("At EUR 100 per case averted, up is the best choice in 67% of the 3 draws; "
                     "no single parameter&#39;s evidence would change the choice.") !=
        std::string::npos);
  CHECK(section.find("The arm of highest expected net benefit is baseline up to EUR 88; up from "
                     "EUR 92.") != std::string::npos);
  CHECK(section.find("down is dominated") != std::string::npos);
  CHECK(section.find("flat is dominated") != std::string::npos);
  CHECK(section.find("90.91 against baseline") != std::string::npos);  // up's ICER
  for (const char* id : {"decision-plane", "decision-ceac", "decision-evppi", "decision-prcc-up"})
    CHECK(section.find(std::string("<figure id=\"") + id + "\">") != std::string::npos);
  // The key findings lead with the decision; the draws' note says what they vary.
  CHECK(html.find("<p><b>Decision.</b> At EUR 100 per case averted") != std::string::npos);
  CHECK(section.find("3 replicates are 3 draws of the 1 uncertain parameters") !=
        std::string::npos);
  CHECK(report::decision_line(r) ==
        "best expected net benefit: baseline up to EUR 88; up from EUR 92 (per case averted)\n"
        "probability best at EUR 100 per case averted: up 67%, baseline 33%, the 2 others "
        "0%\n");

  r.decision.reset();
  CHECK(report::render_report(r, nullptr).find("No decision analysis") != std::string::npos);
  CHECK(report::decision_line(r).empty());
}

TEST_CASE("report: the findings state the numbers of the results file", "[report]") {
  // Recomputed from the HDF5 datasets directly: at-risk people from the step-0 snapshot, the
  // comparison tables, the baseline's totals.
  const std::string html = slurp(small_run().report);
  h5::File f = h5::File::open(small_run().results);
  const h5::Table snap = h5::read_table(f, "/arms/baseline/snapshots/step_0");
  double at_risk = 0;
  for (const h5::Field& field : snap.fields)
    if (field.name == "at_risk")
      for (double v : field.numbers) at_risk += v != 0;
  REQUIRE(at_risk > 0);
  const auto per10k = [&](double x) { return x * 10000 / at_risk; };

  // The baseline: mean cases and its 95% interval.
  const h5::Table totals = h5::read_table(f, "/arms/baseline/totals");
  std::vector<double> exploited;
  for (const h5::Field& field : totals.fields)
    if (field.name == "exploited") exploited = field.numbers;
  const Interval base = mean_interval(exploited);
  REQUIRE(base.mean > 0);  // the scenario must produce cases for the test to mean anything
  CHECK(html.find(fmt::format("With no programme, {} cases of exploitation occurred among {} "
                              "at-risk people over 30 weeks: {} per 10,000 at-risk people (95% "
                              "interval {}).",
                              format_number(base.mean), report::people(at_risk),
                              format_number(per10k(base.mean)),
                              range(per10k(base.low), per10k(base.high)))) != std::string::npos);

  int unclear = 0;
  for (const char* arm : {"partnership", "idle"}) {
    INFO(arm);
    const h5::Table t = h5::read_table(f, std::string("/comparison/") + arm);
    std::map<std::string, std::array<double, 3>> d;
    for (size_t i = 0; i < t.rows(); ++i)
      d[t.fields[0].strings[i]] = {t.fields[1].numbers[i], t.fields[2].numbers[i],
                                   t.fields[3].numbers[i]};
    const auto [mean, low, high] = d.at("cases_averted");
    std::string expected;
    if (low > 0)
      expected = fmt::format(
          "{} averted {} cases per 10,000 at-risk people over 30 weeks compared "
          "with no programme (95% interval {}; {} cases in all)",
          upper_first(arm), format_number(per10k(mean)), range(per10k(low), per10k(high)),
          format_number(mean));
    else if (high < 0)
      expected = fmt::format(
          "{} led to {} more cases per 10,000 at-risk people over 30 weeks than "
          "no programme (95% interval {};",
          upper_first(arm), format_number(-per10k(mean)), range(-per10k(high), -per10k(low)));
    else
      expected = fmt::format(
          "With {}, the difference in cases from no programme over 30 weeks is "
          "not distinguishable from zero ({} cases averted per 10,000 at-risk "
          "people, 95% interval {}).",
          arm, format_number(per10k(mean)), range(per10k(low), per10k(high)));
    INFO(expected);
    CHECK(html.find(expected) != std::string::npos);
    unclear += !(low > 0) && !(high < 0);

    const auto [em, el, eh] = d.at("engaged_final");
    const std::string engaged =
        (el > 0 || eh < 0)
            ? fmt::format("{:+.1f} percentage points with {} (95% interval {:+.1f} to {:+.1f})",
                          100 * em, arm, 100 * el, 100 * eh)
            : fmt::format("not distinguishable from zero with {}", arm);
    INFO(engaged);
    CHECK(html.find(engaged) != std::string::npos);
  }
  // The idle campaign reaches no one: exactly the baseline, an interval of [0, 0].
  CHECK(unclear >= 1);
  CHECK(html.find("With idle, the difference in cases from no programme over 30 weeks is not "
                  "distinguishable from zero (0 cases averted per 10,000 at-risk people, 95% "
                  "interval 0\u20130).") != std::string::npos);
}

TEST_CASE("findings: the wording follows the interval", "[report]") {
  const Results r = crafted_results();
  const report::Subgroup at_risk = report::count_subgroup(r, "at-risk people", std::nullopt);
  REQUIRE(at_risk.source == report::Subgroup::Source::snapshot);
  REQUIRE(at_risk.people == 250);
  const std::vector<std::string> f = report::key_findings(r, at_risk);
  REQUIRE(f.size() == 5);  // baseline, three arms, engagement
  CHECK(f[0] ==
        "With no programme, 41.00 cases of exploitation occurred among 250 at-risk "
        "people over 104 weeks (2 years): 1,640 per 10,000 at-risk people (95% interval "
        "1,541\u20131,739).");
  CHECK(f[1] ==
        "Up averted 400.0 cases per 10,000 at-risk people over 2 years compared with no "
        "programme (95% interval 200.0\u2013600.0; 10.00 cases in all), at EUR 100.0 per "
        "case averted (95% interval 50.00\u2013400.0).");
  CHECK(f[2] ==
        "Down led to 160.0 more cases per 10,000 at-risk people over 2 years than no "
        "programme (95% interval 80.00\u2013240.0; 4.00 more cases in all).");
  CHECK(f[3] ==
        "With flat, the difference in cases from no programme over 2 years is not "
        "distinguishable from zero (40.00 cases averted per 10,000 at-risk people, 95% "
        "interval -80.00 to 160.0).");
  CHECK(f[4] ==
        "With no programme, the engaged share at the end was 10.0% over 2 years; the "
        "difference was +5.0 percentage points with up (95% interval +4.0 "
        "to +6.0), -2.0 percentage points with down (95% interval -3.0 to -1.0) and not "
        "distinguishable from zero with flat (+0.1 points, 95% interval -1.0 to +1.2).");
  // No claim of cost per case where no case was averted for sure.
  CHECK(f[2].find("per case averted") == std::string::npos);
  CHECK(f[3].find("per case averted") == std::string::npos);

  const std::string html = report::render_report(r, nullptr);
  CHECK(html.find("not distinguishable from zero") != std::string::npos);
  CHECK(html.find("not estimated: cases averted not distinguishable from zero") !=
        std::string::npos);
  CHECK(html.find("none: more cases than the baseline") != std::string::npos);
}

TEST_CASE("findings: without a snapshot the scenario gives the at-risk count", "[report]") {
  Results r = crafted_results();
  for (ArmResult& arm : r.arms)
    for (RunResult& run : arm.replicates) run.snapshots.clear();
  const Scenario scenario = test::scenario_from_yaml(R"(name: crafted
population:
  size: 1000
  communities: 2
  roles: {at_risk: 0.1}
  groups:
    - communities: [1]
      roles: {at_risk: 0.3}
)");
  r.scenario_yaml = to_yaml(scenario);
  r.communities = 2;
  r.community_sizes = {600, 400};
  const report::ScenarioSummary s = report::summarise_scenario(r, &scenario);
  REQUIRE(s.expected_subgroup.has_value());
  CHECK(*s.expected_subgroup == Approx(600 * 0.1 + 400 * 0.3));
  const report::Subgroup a = report::count_subgroup(r, "at-risk people", s.expected_subgroup);
  CHECK(a.source == report::Subgroup::Source::scenario);
  CHECK(report::render_report(r, &scenario).find("the scenario implies") != std::string::npos);
  // Neither: counts only, and the report says why.
  const report::Subgroup none = report::count_subgroup(r, "at-risk people", std::nullopt);
  CHECK_FALSE(none.known());
  const std::vector<std::string> f = report::key_findings(r, none);
  REQUIRE(f.size() >= 3);
  CHECK(f[1].rfind("Up averted 10.00 cases over 2 years compared with no programme (95% interval "
                   "5.00\u201315.00)",
                   0) == 0);
}

TEST_CASE("report: a model without cases, costs or community series", "[report]") {
  // A reference model: other series and totals. The report degrades to what there is.
  Results r = crafted_results();
  r.series_names = {"infected", "recovered", "susceptible"};
  r.total_names = {"peak", "final_size", "duration"};
  r.outputs = {};  // a model that declares nothing: the report falls back on the names
  for (Comparison& c : r.comparisons)
    c.differences = {{"peak", 1, -1, 3}, {"final_size", 5, 2, 8}, {"duration", 0, 0, 0}};
  for (ArmResult& arm : r.arms)
    for (RunResult& run : arm.replicates) {
      run.communities.clear();
      run.snapshots.clear();
    }
  const std::vector<std::string> f = report::key_findings(r, report::Subgroup{});
  REQUIRE(f.size() == 3);
  CHECK(f[0] ==
        "With up, the difference in peak from no programme is not distinguishable from "
        "zero (1.00, 95% interval -1.00 to 3.00).");
  const std::string html = report::render_report(r, nullptr);
  for (const char* id :
       {"compared", "findings", "series", "totals", "communities", "network", "caveats"})
    CHECK(html.find(std::string("<section id=\"") + id + "\">") != std::string::npos);
  CHECK(count(html, "<figure id=\"series-") == 3);  // every series of the model
  CHECK(html.find("forest-cases_averted") == std::string::npos);
  CHECK(html.find("ce-plane") == std::string::npos);
  CHECK(html.find("no cost-effectiveness analysis") != std::string::npos);
  CHECK(html.find("Not recorded") != std::string::npos);
  CHECK(html.find("forest-peak") != std::string::npos);
}

TEST_CASE("report: horizons and ranges in words", "[report]") {
  CHECK(report::horizon_words(156, "week") == "156 weeks (3 years)");
  CHECK(report::horizon_words(100, "week") == "100 weeks (about 1.9 years)");
  CHECK(report::horizon_words(30, "week") == "30 weeks");
  CHECK(report::horizon_words(1, "week") == "1 week");
  CHECK(report::horizon_words(36, "month") == "36 months (3 years)");
  CHECK(report::horizon_words(730, "day") == "730 days (2 years)");
  CHECK(report::horizon_words(5, "year") == "5 years");
  CHECK(report::horizon_words(12, "") == "12 steps");
  CHECK(report::horizon_words(3000, "day") == "3,000 days (about 8.2 years)");
  CHECK(report::horizon_short(156, "week") == "3 years");
  CHECK(report::horizon_short(30, "week") == "30 weeks");
  CHECK(report::range_words(81, 133) == "81.00\u2013133.0");
  CHECK(report::range_words(-7.49, -5.41) == "-7.49 to -5.41");
  CHECK(report::range_words(-2, 4) == "-2.00 to 4.00");
  CHECK(report::range_words(5, INFINITY) == "5.00 or more");
  CHECK(report::points(0.135) == "+13.5");
  CHECK(report::points(-0.0001) == "0.0");
}

TEST_CASE("svg: ticks, colours and escaping", "[report]") {
  CHECK(svg::nice_ticks(0, 1, 5) == std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1});
  CHECK(svg::nice_ticks(0, 156, 6) == std::vector<double>{0, 50, 100, 150, 200});
  CHECK(svg::nice_ticks(-7, 3, 5).front() <= -7);
  CHECK(svg::plain_tick(1250000, 250000) == "1,250,000");
  CHECK(svg::plain_tick(-0.5, 0.25) == "\u22120.50");
  CHECK(svg::plain_tick(-0.0, 0.5) == "0.0");
  CHECK(svg::percent_tick(0.25, 0.05) == "25%");
  CHECK(svg::arm_colour(0) == "#000000");
  CHECK(svg::arm_colour(1) == "#E69F00");
  CHECK(svg::arm_colour(8) == svg::arm_colour(0));
  CHECK(svg::heat_colour(0) == "#440154");
  CHECK(svg::heat_colour(1) == "#fde725");
  CHECK(svg::heat_colour(NAN) == "#eeeeee");
  CHECK(svg::escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
  // A chart is one well-formed element that names itself for screen readers.
  svg::LineChart c;
  c.title = "T <1>";
  c.series.push_back({"arm", svg::arm_colour(1), {0, 1, 2}, {0.1, NAN, 0.3}, {}, {}});
  const std::string s = svg::line_chart(c);
  CHECK(s.rfind("<svg ", 0) == 0);
  CHECK(s.find("<title>T &lt;1&gt;</title>") != std::string::npos);
  CHECK(s.substr(s.size() - 6) == "</svg>");
  CHECK(count(s, "<path ") == 2);  // the NaN breaks the line in two
}

TEST_CASE("report CLI: bad results files exit 2 and write nothing", "[report][cli]") {
  TempDir d;
  const SmallRun& run = small_run();
  const auto check_refused = [&](const fs::path& input, const std::string& message) {
    const fs::path dir = input.parent_path();
    const std::vector<std::string> before = names_in(dir);
    auto r = run_fourp({"report", input.string(), "-o", (dir / "out.html").string(), "--csv",
                        (dir / "csv").string()});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(input.string() + ": error: " + message) != std::string::npos);
    CHECK(r.out.empty());
    CHECK(names_in(dir) == before);  // no report, no CSV directory, no temporary file
  };
  SECTION("not an HDF5 file") {
    write_file(d / "text.h5", "name: not hdf5\n");
    check_refused(d / "text.h5", "not an HDF5 file");
  }
  SECTION("a results file of another format version") {
    fs::copy_file(run.results, d / "v2.h5");
    {
      h5::File f = h5::File::open_for_update(d / "v2.h5");
      h5::write_attr(f, "format_version", int64_t{2});
      f.close();
    }
    check_refused(d / "v2.h5", "results file format_version 2 is not supported");
  }
  SECTION("a missing dataset") {
    fs::copy_file(run.results, d / "cut.h5");
    {
      h5::File f = h5::File::open_for_update(d / "cut.h5");
      h5::remove(f, "/arms/partnership/series/engaged");
      f.close();
    }
    check_refused(d / "cut.h5", "missing dataset /arms/partnership/series/engaged");
  }
  SECTION("no such file") {
    check_refused(d / "none.h5", "no such file");
  }
}

TEST_CASE("report CLI: default name, no silent overwrite, --overwrite", "[report][cli]") {
  TempDir d;
  fs::copy_file(small_run().results, d / "r.h5");
  auto r = run_fourp({"report", (d / "r.h5").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("wrote " + (d / "r.html").string()) != std::string::npos);
  CHECK(names_in(d.path()) == std::vector<std::string>{"r.h5", "r.html"});

  write_file(d / "r.html", "precious");
  r = run_fourp({"report", (d / "r.h5").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--overwrite") != std::string::npos);
  CHECK(slurp(d / "r.html") == "precious");

  // CSV files are checked before anything is written, the report included.
  write_file(d / "csv" / "totals.csv", "precious");
  r = run_fourp({"report", (d / "r.h5").string(), "-o", (d / "new.html").string(), "--csv",
                 (d / "csv").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("totals.csv: error: file exists") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "new.html"));
  CHECK(names_in(d / "csv") == std::vector<std::string>{"totals.csv"});

  r = run_fourp(
      {"report", (d / "r.h5").string(), "--csv", (d / "csv").string(), "--overwrite", "-q"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(slurp(d / "r.html").find("<!DOCTYPE html>") == 0);
  CHECK(names_in(d / "csv").size() == 11);

  // The report may not replace the results file it reads.
  r = run_fourp({"report", (d / "r.h5").string(), "-o", (d / "r.h5").string(), "--overwrite"});
  CHECK(r.exit_code == 2);
  CHECK(read_results(d / "r.h5").arms.size() == 3);
}

TEST_CASE("run --report: checked before the run, written after the results", "[report][cli]") {
  TempDir d;
  write_file(d / "small.yaml", kSmall);
  write_file(d / "taken.html", "precious");
  auto r = run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "r.h5").string(), "--report",
                      (d / "taken.html").string(), "--replicates", "2"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("taken.html: error: file exists") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "r.h5"));  // refused up front, not after the work
  CHECK(slurp(d / "taken.html") == "precious");

  r = run_fourp({"run", (d / "small.yaml").string(), "-o", (d / "r.h5").string(), "--report",
                 (d / "r.html").string(), "--replicates", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("wrote " + (d / "r.html").string()) != std::string::npos);
  // The report of the run equals the report of its results file.
  auto again = run_fourp({"report", (d / "r.h5").string(), "-o", (d / "again.html").string()});
  REQUIRE(again.exit_code == 0);
  CHECK(slurp(d / "r.html") == slurp(d / "again.html"));
}
