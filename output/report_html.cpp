#include "output/report_html.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "output/decision_report.h"
#include "output/report_findings.h"
#include "output/report_numbers.h"
#include "output/report_scenario.h"
#include "output/results_file.h"
#include "output/summary_table.h"
#include "output/svg_chart.h"

namespace fourp::report {

namespace {

using svg::escape;

constexpr const char* kStyle = R"(
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       color: #222; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-top: 12px; border-top: 2px solid #222; }
h3 { font-size: 16px; margin: 24px 0 8px; }
p, li { max-width: 75em; }
.meta, .note, figcaption { color: #555; }
.note, figcaption { font-size: 13px; }
.lede { font-size: 17px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right; vertical-align: top; }
th { border-bottom: 2px solid #999; font-weight: 600; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
td:first-child { white-space: nowrap; }
table.differences, table.cost-effectiveness, table.totals { font-size: 13.5px; }
.iv { white-space: nowrap; }
.wide { overflow-x: auto; }
td ul { margin: 0; padding-left: 1.2em; }
.swatch { font-size: 17px; line-height: 1; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr));
          gap: 8px 24px; }
figure { margin: 0 0 16px; break-inside: avoid; page-break-inside: avoid; }
svg.chart { max-width: 100%; height: auto; display: block; }
.findings li { margin-bottom: 8px; }
details pre { white-space: pre-wrap; font-size: 12px; background: #f5f5f5; padding: 12px; }
summary { cursor: pointer; font-weight: 600; }
@page { margin: 14mm; }
@media print {
  main { max-width: none; padding: 0; }
  body { font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .charts { display: block; }
  .wide { overflow: visible; }
  table.differences, table.cost-effectiveness, table.totals { font-size: 8pt; }
  th, td { padding: 2px 4px; }
  .iv, td:first-child { white-space: normal; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)";

// What the report knows about one metric of the time series.
struct MetricView {
  std::string name;  // in Results::series_names
  bool cumulative;   // running sum of a per-step flow
  std::string title, y_label;
  bool share;  // 0..1 shown as percentages
};

// The series the model marks for charts (declarations), else every series as it is.
std::vector<MetricView> series_views(const Results& r) {
  std::vector<MetricView> out;
  for (const SeriesSpec& v : r.outputs.series)
    if (v.chart && find_name(r.series_names, v.name))
      out.push_back({v.name, v.flow, v.title, v.axis, v.scale == Scale::share});
  if (out.empty())
    for (const std::string& n : r.series_names) out.push_back({n, false, n, n + " (mean)", false});
  return out;
}

// Human names of totals and comparison quantities; shares are shown in percent / points.
struct QuantityView {
  std::string words;
  bool share = false;
  bool money = false;
};
QuantityView quantity_view(const Results& r, const std::string& q) {
  const OutputDeclarations& d = r.outputs;
  if (const OutcomeSpec* o = d.find_outcome(q))
    return {o->label, o->scale == Scale::share, o->scale == Scale::money};
  if (!d.improvement.name.empty() && q == d.improvement.name) {
    const OutcomeSpec* h = d.headline_outcome();
    return {d.improvement.label, h && h->scale == Scale::share};
  }
  if (!d.improvement.cost_name.empty() && q == d.improvement.cost_name)
    return {d.improvement.cost_label, false, true};
  return {q};
}

std::string money_words(const Results& r, double x) {
  if (std::isnan(x)) return "n/a";
  return r.currency.empty() ? format_number(x) : r.currency + " " + format_number(x);
}

std::string value_words(const Results& r, const QuantityView& v, double x) {
  if (v.share) return percent(x);
  if (v.money) return money_words(r, x);
  return format_number(x);
}

// HTML "85.40 <span class="iv">[80.32, 90.48]</span>": on screen the bracket stays on one line,
// in print (narrow columns) it may break.
std::string interval_html(const std::string& mean, const std::string& low, const std::string& high,
                          const std::string& unit = "") {
  return fmt::format("{} <span class=\"iv\">[{}, {}]{}</span>", escape(mean), escape(low),
                     escape(high), unit.empty() ? "" : " " + escape(unit));
}

std::string interval_html(const Difference* d) {
  if (d == nullptr) return "\u2013";
  return interval_html(format_number(d->mean), format_number(d->low), format_number(d->high));
}

// Differences of shares in percentage points.
std::string difference_html(const QuantityView& v, const Difference& d) {
  if (std::isnan(d.mean)) return "n/a";
  if (v.share) return interval_html(points(d.mean), points(d.low), points(d.high), "points");
  return interval_html(&d);
}

std::string swatch(size_t arm) {
  return fmt::format("<span class=\"swatch\" style=\"color:{}\">&#9632;</span>",
                     svg::arm_colour(arm));
}

std::string time_label(const Results& r) {
  return fmt::format("time ({})", unit_words(2, r.step_unit));
}

// Long runs (thousands of daily steps) would make charts of megabytes that show no more than
// the screen's pixels: lines keep at most kMaxPoints rows (every k-th and the last), heat maps
// average at most kMaxColumns bins of steps.
constexpr size_t kMaxPoints = 1000, kMaxColumns = 400;

std::vector<size_t> plotted_rows(size_t rows) {
  const size_t stride = (rows + kMaxPoints - 1) / kMaxPoints;
  std::vector<size_t> out;
  for (size_t t = 0; t < rows; t += std::max<size_t>(1, stride)) out.push_back(t);
  if (!out.empty() && out.back() != rows - 1) out.push_back(rows - 1);
  return out;
}

std::vector<double> pick(const std::vector<double>& v, const std::vector<size_t>& rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (size_t t : rows) out.push_back(t < v.size() ? v[t] : std::nan(""));
  return out;
}

// --- 1. What was compared -------------------------------------------------------------------

std::string section_compared(const Results& r, const ScenarioSummary& s) {
  std::string out = "<section id=\"compared\">\n<h2>1. What was compared</h2>\n";
  if (!s.description.empty())
    out += fmt::format("<p class=\"lede\">{}</p>\n", escape(s.description));
  out += fmt::format(
      "<p>{} arms, each simulated {} times over {} with the same people, network and random "
      "draws in each replicate (common random numbers), so that differences between arms are "
      "effects of their interventions, not chance. Every arm is compared with {}.</p>\n",
      r.arms.size(), r.replicates, escape(horizon_words(r.steps, r.step_unit)),
      escape(baseline_words(r) == "no programme"
                 ? "the baseline, no programme (\u201c" + r.baseline_arm + "\u201d)"
                 : baseline_words(r)));
  out +=
      "<table class=\"arms\">\n<thead><tr><th>arm</th><th class=\"text\">interventions</th>"
      "</tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < r.arms.size(); ++i) {
    const ArmPlan* plan = i < s.arms.size() ? &s.arms[i] : nullptr;
    std::string what;
    if (plan == nullptr || plan->interventions.empty()) {
      what = r.arms[i].interventions.empty()
                 ? "no intervention"
                 : escape(fmt::format("{}", fmt::join(r.arms[i].interventions, ", ")));
    } else {
      what = "<ul>";
      for (const std::string& iv : plan->interventions) what += "<li>" + escape(iv) + "</li>";
      what += "</ul>";
    }
    if (plan != nullptr && !plan->settings.empty())
      what += fmt::format("<div class=\"note\">This arm sets {}.</div>",
                          escape(fmt::format("{}", fmt::join(plan->settings, "; "))));
    out += fmt::format("<tr><td>{}&nbsp;<b>{}</b>{}</td><td class=\"text\">{}</td></tr>\n",
                       swatch(i), escape(r.arms[i].name),
                       r.arms[i].name == r.baseline_arm ? " (baseline)" : "", what);
  }
  out += "</tbody>\n</table>\n";
  if (!s.population.empty())
    out += fmt::format("<h3>Population and network</h3>\n<p>{}</p>\n", escape(s.population));
  return out + "</section>\n";
}

// --- 2. Key findings --------------------------------------------------------------------------

std::string subgroup_note(const Results& r, const Subgroup& a) {
  const OutcomeSpec* h = r.outputs.headline_outcome();
  const std::string what = h ? h->label : "numbers";
  switch (a.source) {
    case Subgroup::Source::snapshot:
      return fmt::format(
          "{} per 10,000 {} are relative to the {} {} of replicate 0 at the start (its snapshot "
          "at step 0; roles are drawn per replicate, so other replicates differ by a few people).",
          capitalised(what), a.label, people(a.people), a.label);
    case Subgroup::Source::scenario:
      return fmt::format(
          "{} per 10,000 {} are relative to the {} {} the scenario implies (community size "
          "\u00d7 roles.{} per community); the results file has no snapshot at step 0 to count "
          "them.",
          capitalised(what), a.label, people(a.people), a.label, r.outputs.subgroup);
    case Subgroup::Source::none:
      break;
  }
  if (r.outputs.subgroup.empty()) return "";
  return fmt::format(
      "The number of {} is unknown (no snapshot at step 0, no roles.{} in the scenario), so {} "
      "are given as counts.",
      a.label.empty() ? r.outputs.subgroup : a.label, r.outputs.subgroup, what);
}

std::string section_findings(const Results& r, const Subgroup& group) {
  std::string out = "<section id=\"findings\">\n<h2>2. Key findings</h2>\n";
  const std::vector<std::string> findings = key_findings(r, group);
  if (findings.empty()) {
    out += "<p>No comparison with a baseline is in this results file.</p>\n";
  } else {
    out += "<ul class=\"findings\">\n";
    for (const std::string& f : findings) out += "<li>" + escape(f) + "</li>\n";
    out += "</ul>\n";
  }
  std::vector<std::string> unnamed;
  size_t named = 0;
  for (const ArmResult& a : r.arms)
    if (a.name != r.baseline_arm && ++named > kMaxFindingArms) unnamed.push_back(a.name);
  const std::vector<std::string> decision = decision_findings(r);
  if (!decision.empty())
    out += fmt::format("<p><b>Decision.</b> {} (section 5)</p>\n", escape(decision.front()));
  const std::string what =
      r.parameter_names.empty()
          ? std::string(
                "they show the simulation's variation, not uncertainty about its "
                "assumptions (section 8)")
          : fmt::format(
                "each replicate drew the {} uncertain parameters of the scenario anew, so "
                "they include that uncertainty as well as the simulation's variation",
                r.parameter_names.size());
  std::string note = fmt::format(
      "Intervals are 95% intervals of the mean difference over {} paired replicates; {}. A "
      "difference is called \u201cnot distinguishable from zero\u201d when its interval "
      "includes zero. ",
      r.replicates, what);
  if (r.outputs.headline_outcome()) note += subgroup_note(r, group);
  if (!unnamed.empty())
    note += fmt::format(" Arms not named here ({}) are compared in section 4.",
                        fmt::join(unnamed, ", "));
  return out + fmt::format("<p class=\"note\">{}</p>\n</section>\n", escape(note));
}

// --- 3. Time series ---------------------------------------------------------------------------

std::string section_series(const Results& r) {
  std::string out = "<section id=\"series\">\n<h2>3. Over time</h2>\n";
  out +=
      "<p>Each line is an arm\u2019s mean over replicates; the shaded band around it holds the "
      "middle 90% of replicates (5th to 95th percentile). Shares and means are over the "
      "people present (not away after exploitation).</p>\n<div class=\"charts\">\n";
  const std::vector<size_t> rows = plotted_rows(r.rows());
  std::vector<double> x;
  for (size_t t : rows) x.push_back(static_cast<double>(t));
  for (const MetricView& v : series_views(r)) {
    const size_t m = *find_name(r.series_names, v.name);
    svg::LineChart c;
    c.title = v.title;
    c.x_label = time_label(r);
    c.y_label = v.y_label;
    if (v.share) c.y_format = svg::percent_tick;
    for (size_t i = 0; i < r.arms.size(); ++i) {
      const Band b = series_band(r, r.arms[i], m, v.cumulative);
      c.series.push_back({r.arms[i].name, svg::arm_colour(i), x, pick(b.mean, rows),
                          pick(b.low, rows), pick(b.high, rows)});
    }
    out += fmt::format("<figure id=\"series-{}\">\n{}\n</figure>\n", escape(v.name),
                       svg::line_chart(c));
  }
  return out + "</div>\n</section>\n";
}

// --- 4. Totals --------------------------------------------------------------------------------

std::string totals_table(const Results& r, const Subgroup& group) {
  // The headline also per 10,000 people of the subgroup, when their number is known.
  const std::optional<size_t> headline =
      group.known() ? find_name(r.total_names, r.outputs.headline) : std::nullopt;
  std::string out = "<div class=\"wide\">\n<table class=\"totals\">\n<thead><tr><th>arm</th>";
  for (const std::string& t : r.total_names) {
    const QuantityView v = quantity_view(r, t);
    out += fmt::format("<th>{}{}</th>", escape(v.words),
                       v.money && !r.currency.empty() ? " (" + escape(r.currency) + ")" : "");
    if (headline && t == r.total_names[*headline])
      out += fmt::format("<th>{} per 10,000 {}</th>", escape(quantity_view(r, t).words),
                         escape(group.label));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < r.arms.size(); ++i) {
    out += fmt::format("<tr><td>{}&nbsp;{}</td>", swatch(i), escape(r.arms[i].name));
    for (size_t k = 0; k < r.total_names.size(); ++k) {
      const QuantityView v = quantity_view(r, r.total_names[k]);
      const double m = total_mean(r.arms[i], k);
      out += fmt::format("<td>{}</td>", escape(v.money ? format_number(m) : value_words(r, v, m)));
      if (headline && k == *headline)
        out += fmt::format("<td>{}</td>", escape(format_number(group.per_10k(m))));
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n</div>\n";
}

std::string differences_table(const Results& r) {
  std::vector<std::string> quantities;
  for (const Comparison& c : r.comparisons)
    for (const Difference& d : c.differences)
      if (std::find(quantities.begin(), quantities.end(), d.quantity) == quantities.end())
        quantities.push_back(d.quantity);
  if (quantities.empty()) return "";
  std::string out =
      "<div class=\"wide\">\n<table class=\"differences\">\n<thead><tr><th>difference from the "
      "baseline</th>";
  for (const Comparison& c : r.comparisons) {
    size_t i = 0;
    while (i < r.arms.size() && r.arms[i].name != c.arm) ++i;
    out += fmt::format("<th>{}&nbsp;{}</th>", swatch(i), escape(c.arm));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const std::string& q : quantities) {
    const QuantityView v = quantity_view(r, q);
    out += fmt::format("<tr><td>{}{}</td>", escape(v.words),
                       v.money && !r.currency.empty() ? " (" + escape(r.currency) + ")" : "");
    for (const Comparison& c : r.comparisons) {
      const Difference* d = find_difference(r, c.arm, q);
      const Improvement& imp = r.outputs.improvement;
      const Difference* averted = find_difference(r, c.arm, imp.name);
      // As in the findings: no cost per unit unless the improvement is distinguishable from zero.
      if (d && q == imp.cost_name && averted && !(averted->low > 0))
        out += "<td>not estimated</td>";
      else
        out += fmt::format("<td>{}</td>", d ? difference_html(v, *d) : "\u2013");
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n</div>\n";
}

svg::Forest forest_of(const Results& r, const std::string& quantity, double scale) {
  svg::Forest f;
  for (size_t i = 0; i < r.arms.size(); ++i) {
    const Difference* d = find_difference(r, r.arms[i].name, quantity);
    if (d == nullptr) continue;
    f.rows.push_back(
        {r.arms[i].name, svg::arm_colour(i), d->mean * scale, d->low * scale, d->high * scale});
  }
  return f;
}

std::string cost_effectiveness(const Results& r) {
  const Improvement& imp = r.outputs.improvement;
  const auto cost = find_name(r.total_names, r.outputs.cost_outcome);
  if (!cost || imp.cost_name.empty() || !find_name(r.total_names, r.outputs.headline))
    return "<p>This model declares no costs or no headline outcome, so there is no "
           "cost-effectiveness analysis.</p>\n";
  const std::string cur = r.currency.empty() ? "" : " (" + escape(r.currency) + ")";
  const std::string over = escape(horizon_short(r.steps, r.step_unit));
  std::string out = fmt::format(
      "<div class=\"wide\">\n<table "
      "class=\"cost-effectiveness\">\n<thead><tr><th>arm</th><th>cost{0}</th>"
      "<th>extra cost{0} [95% interval]</th><th>{1} [95% interval]</th>"
      "<th>{2}{0} [95% interval]</th></tr></thead>\n<tbody>\n",
      cur, escape(imp.label), escape(imp.cost_label));
  svg::Scatter plane;
  plane.title = "Cost-effectiveness plane";
  plane.x_label = fmt::format("{} over {} (against {})", imp.label,
                              horizon_short(r.steps, r.step_unit), baseline_words(r));
  plane.y_label = fmt::format("extra cost{}", r.currency.empty() ? "" : " (" + r.currency + ")");
  for (size_t i = 0; i < r.arms.size(); ++i) {
    const ArmResult& arm = r.arms[i];
    const Difference* c = find_difference(r, arm.name, r.outputs.cost_outcome);
    const Difference* a = find_difference(r, arm.name, imp.name);
    const Difference* per = find_difference(r, arm.name, imp.cost_name);
    std::string ratio = "\u2013";
    if (a != nullptr) {
      if (!(a->low > 0))
        ratio = a->high < 0
                    ? fmt::format("none: more {} than the baseline", imp.noun)
                    : fmt::format("not estimated: {} not distinguishable from zero", imp.label);
      else if (per != nullptr && std::isfinite(per->mean))
        ratio = interval_html(per);
    }
    out += fmt::format("<tr><td>{}&nbsp;{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       swatch(i), escape(arm.name), escape(format_number(total_mean(arm, *cost))),
                       interval_html(c), interval_html(a), ratio);
    if (c && a)
      plane.points.push_back(
          {arm.name, svg::arm_colour(i), a->mean, a->low, a->high, c->mean, c->low, c->high});
  }
  out += "</tbody>\n</table>\n</div>\n";
  out += fmt::format(
      "<p class=\"note\">Extra cost and {1} are mean differences from the baseline over "
      "paired replicates, over {0}; {2} is the mean extra cost divided by the mean {1}, with a "
      "paired bootstrap interval, and is given only where {1} are distinguishable from zero.</p>\n",
      over, escape(imp.label), escape(imp.cost_label));
  if (!plane.points.empty())
    out += fmt::format(
        "<figure id=\"ce-plane\">\n{}\n<figcaption>Each arm against {}: right "
        "of the vertical line it does better ({}), above the horizontal line it "
        "costs more. Crosses are 95% intervals.</figcaption>\n</figure>\n",
        svg::scatter(plane), escape(baseline_words(r)), escape(imp.label));
  return out;
}

std::string section_totals(const Results& r, const Subgroup& group) {
  std::string out = "<section id=\"totals\">\n<h2>4. Totals against the baseline</h2>\n";
  out += fmt::format("<h3>Per arm: means over {} replicates, over {}</h3>\n", r.replicates,
                     escape(horizon_words(r.steps, r.step_unit)));
  out += totals_table(r, group);
  out += "<h3>Differences from the baseline, with 95% intervals</h3>\n";
  if (r.comparisons.empty()) {
    out += "<p>No comparisons: the baseline arm is not in this results file.</p>\n";
  } else {
    out += "<div class=\"charts\">\n";
    bool any = false;
    const Improvement& imp = r.outputs.improvement;
    if (!imp.name.empty() && r.outputs.improvement_sign() != 0) {
      const bool scaled = group.known();
      svg::Forest f = forest_of(r, imp.name, scaled ? 10000.0 / group.people : 1.0);
      f.title = capitalised(imp.label) + (scaled ? " per 10,000 " + group.label : "");
      f.x_label = fmt::format("{}{} over {}", imp.label, scaled ? " per 10,000" : "",
                              horizon_short(r.steps, r.step_unit));
      out += fmt::format("<figure id=\"forest-{}\">\n{}\n</figure>\n", escape(imp.name),
                         svg::forest(f));
      any = true;
    }
    for (const OutcomeSpec& o : r.outputs.outcomes)  // the summary's shares, in points
      if (o.summary && o.scale == Scale::share && o.name != r.outputs.headline &&
          find_name(r.total_names, o.name)) {
        svg::Forest f = forest_of(r, o.name, 100.0);
        f.title = capitalised(o.label);
        f.x_label = "difference (percentage points)";
        out += fmt::format("<figure id=\"forest-{}\">\n{}\n</figure>\n", escape(o.name),
                           svg::forest(f));
        any = true;
      }
    if (!any)  // another model: its first totals
      for (size_t k = 0; k < std::min<size_t>(2, r.total_names.size()); ++k) {
        svg::Forest f = forest_of(r, r.total_names[k], 1.0);
        f.title = r.total_names[k];
        f.x_label = "difference from the baseline";
        out += fmt::format("<figure id=\"forest-{}\">\n{}\n</figure>\n", escape(r.total_names[k]),
                           svg::forest(f));
      }
    out += "</div>\n";
    out += differences_table(r);
  }
  out += "<h3>Cost-effectiveness</h3>\n" + cost_effectiveness(r);
  return out + "</section>\n";
}

// --- 5. By community --------------------------------------------------------------------------

std::string section_communities(const Results& r, const ScenarioSummary& s) {
  std::string out = "<section id=\"communities\">\n<h2>6. By community</h2>\n";
  const bool recorded = r.communities > 0 && !r.arms.empty() &&
                        !r.arms.front().replicates.empty() &&
                        !r.arms.front().replicates.front().communities.empty();
  // The first share among the charted series (the engaged share for the prevention model).
  std::optional<size_t> metric;
  const SeriesSpec* spec = nullptr;
  for (const SeriesSpec& v : r.outputs.series)
    if (v.chart && v.scale == Scale::share && (metric = find_name(r.series_names, v.name))) {
      spec = &v;
      break;
    }
  const bool share = spec != nullptr;
  if (!metric && !r.series_names.empty()) metric = 0;
  if (!recorded || !metric)
    return out +
           "<p>Not recorded: the scenario had <code>outputs.by_community: false</code>.</p>\n"
           "</section>\n";
  const std::string what = share ? lower(spec->title) : r.series_names[*metric];
  out += fmt::format(
      "<p>The {} in each community over time (mean over replicates), one map per arm on one "
      "colour scale. A dot marks the communities the arm\u2019s interventions target.</p>\n"
      "<div class=\"charts\">\n",
      escape(what));
  std::vector<std::vector<double>> maps;
  double hi = 0;
  for (const ArmResult& arm : r.arms) {
    maps.push_back(community_mean(r, arm, *metric));
    for (double v : maps.back())
      if (std::isfinite(v)) hi = std::max(hi, v);
  }
  if (share) hi = std::max(0.01, std::ceil(hi * 20) / 20);  // a round top: 5% steps
  for (size_t i = 0; i < r.arms.size(); ++i) {
    svg::Heatmap h;
    h.title = fmt::format("{}: {}", r.arms[i].name, what);
    h.x_label = time_label(r);
    h.y_label = "community";
    h.value_label = share ? spec->axis : what;
    h.rows = r.communities;
    // Bins of `bin` steps, averaged (NaN cells left out); bin 1 for all but very long runs.
    const size_t bin = (r.rows() + kMaxColumns - 1) / kMaxColumns;
    h.cols = (r.rows() + bin - 1) / bin;
    h.x_step = static_cast<double>(bin);
    h.x_first = (static_cast<double>(bin) - 1) / 2;
    h.values.assign(h.rows * h.cols, std::nan(""));
    for (size_t c = 0; c < h.rows; ++c)
      for (size_t j = 0; j < h.cols; ++j) {
        double sum = 0, n = 0;
        for (size_t t = j * bin; t < std::min(r.rows(), (j + 1) * bin); ++t)
          if (const double v = maps[i][c * r.rows() + t]; std::isfinite(v)) sum += v, n += 1;
        if (n > 0) h.values[c * h.cols + j] = sum / n;
      }
    for (uint32_t c = 0; c < r.communities; ++c) h.row_labels.push_back(fmt::format("{}", c));
    if (i < s.arms.size() && !r.arms[i].interventions.empty()) {
      h.row_marked = s.arms[i].targeted;
      h.mark_meaning = "targeted by this arm\u2019s interventions";
    }
    h.v_max = hi > 0 ? hi : 1;
    if (share) h.value_format = svg::percent_tick;
    h.size.height = std::clamp(60.0 + 16.0 * r.communities, 200.0, 420.0);
    out += fmt::format("<figure id=\"heatmap-{}\">\n{}\n</figure>\n", i, svg::heatmap(h));
  }
  return out + "</div>\n</section>\n";
}

// --- 6. Network -------------------------------------------------------------------------------

std::string section_network(const Results& r) {
  std::string out = "<section id=\"network\">\n<h2>7. The network</h2>\n";
  const NetworkStats& n = r.network;
  out += "<p>Who knows whom, in replicate 0 (every arm of a replicate shares it).</p>\n";
  out += "<table class=\"network\">\n<tbody>\n";
  out += fmt::format("<tr><td>people</td><td>{}</td></tr>\n", escape(format_number(n.nodes)));
  out += fmt::format("<tr><td>ties</td><td>{}</td></tr>\n",
                     escape(format_number(static_cast<double>(n.edges))));
  out += fmt::format("<tr><td>mean degree (ties per person)</td><td>{:.2f}</td></tr>\n",
                     n.mean_degree);
  out += fmt::format("<tr><td>clustering (share of closed triangles)</td><td>{:.3f}</td></tr>\n",
                     n.clustering);
  if (!r.community_sizes.empty()) {
    const auto [lo, hi] = std::minmax_element(r.community_sizes.begin(), r.community_sizes.end());
    out += fmt::format("<tr><td>communities (people in each)</td><td>{} ({}{})</td></tr>\n",
                       r.community_sizes.size(), escape(format_number(*lo)),
                       *lo == *hi ? "" : "\u2013" + escape(format_number(*hi)));
  }
  out += "</tbody>\n</table>\n";
  if (!n.degree_histogram.empty()) {
    svg::Bars b;
    b.title = "Degree distribution";
    b.x_label = "degree (ties of a person)";
    b.y_label = "people";
    for (size_t d = 0; d < n.degree_histogram.size(); ++d) {
      b.x.push_back(static_cast<double>(d));
      b.y.push_back(static_cast<double>(n.degree_histogram[d]));
    }
    out += fmt::format("<figure id=\"degree-distribution\">\n{}\n</figure>\n", svg::bars(b));
  }
  return out + "</section>\n";
}

// --- 7. Caveats -------------------------------------------------------------------------------

std::string section_caveats(const Results& r, const Subgroup& group) {
  std::string out = "<section id=\"caveats\">\n<h2>8. Caveats</h2>\n";
  out += fmt::format(
      "<p>fourp is an exploratory model, not a forecast. Every number in this report follows from "
      "the assumptions of the scenario below \u2014 its parameters, most of them assumed rather "
      "than measured (docs/model.md gives the source of each) \u2014 and with other parameters the "
      "arms can compare differently. Use it to examine arguments and sensitivities before "
      "spending a budget, not to predict what will happen.</p>\n"
      "<p>The intervals describe the variation between the {} replicates of the simulation "
      "(95% Student-t intervals of mean paired differences; for {}, a paired "
      "bootstrap). They do not include uncertainty about the parameters or the model\u2019s "
      "structure: more replicates narrow them but make the model no truer. Time-series bands show "
      "the middle 90% of replicates.</p>\n",
      r.replicates,
      r.outputs.improvement.cost_label.empty() ? "a cost per unit"
                                               : r.outputs.improvement.cost_label);
  out += "<table class=\"provenance\">\n<tbody>\n";
  const auto row = [&](const std::string& k, const std::string& v) {
    out += fmt::format("<tr><td>{}</td><td class=\"text\">{}</td></tr>\n", escape(k), escape(v));
  };
  row("scenario", r.scenario_name);
  row("replicates", fmt::format("{}", r.replicates));
  row("seed", fmt::format("{}", r.seed));
  row("horizon", horizon_words(r.steps, r.step_unit));
  row("results written by", "fourp " + r.fourp_version);
  row("report written by", std::string("fourp ") + FOURP_VERSION);
  if (group.known())
    row(group.label + " (denominator)",
        fmt::format("{} ({})", people(group.people),
                    group.source == Subgroup::Source::snapshot ? "counted at step 0 of replicate 0"
                                                               : "expected from the scenario"));
  out += "</tbody>\n</table>\n";
  out += fmt::format(
      "<details>\n<summary>The full scenario (normalised: every default filled "
      "in)</summary>\n<pre>{}</pre>\n</details>\n",
      escape(r.scenario_yaml));
  return out + "</section>\n";
}

}  // namespace

std::string render_report(const Results& r, const Scenario* scenario) {
  const ScenarioSummary summary = summarise_scenario(r, scenario);
  // The declared subgroup's plural noun, from the model's role (its name without one).
  std::string label = r.outputs.subgroup;
  if (scenario && scenario->kind)
    if (const auto i = scenario->kind->role_index(r.outputs.subgroup))
      label = scenario->kind->roles[*i].label;
  const Subgroup group = count_subgroup(r, label, summary.expected_subgroup);
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"fourp {}\">\n<title>{} \u2014 fourp report</title>\n"
      "<style>{}</style>\n</head>\n<body>\n<main>\n",
      FOURP_VERSION, escape(r.scenario_name), kStyle);
  out += fmt::format(
      "<header>\n<h1>{}</h1>\n<p class=\"meta\">fourp report \u00b7 {} arms \u00b7 "
      "{} replicates \u00b7 {} \u00b7 seed {}</p>\n</header>\n",
      escape(r.scenario_name), r.arms.size(), r.replicates,
      escape(horizon_words(r.steps, r.step_unit)), r.seed);
  out += section_compared(r, summary);
  out += section_findings(r, group);
  out += section_series(r);
  out += section_totals(r, group);
  out += decision_section(r, 5);
  out += section_communities(r, summary);
  out += section_network(r);
  out += section_caveats(r, group);
  return out + "</main>\n</body>\n</html>\n";
}

void write_report(const Results& r, const Scenario* scenario, const std::filesystem::path& path,
                  bool overwrite) {
  check_output_path(path, overwrite);  // fail before the work of rendering
  write_report_text(path, overwrite, render_report(r, scenario));
}

}  // namespace fourp::report
