#include "output/decision_report.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "output/decision_file.h"
#include "output/report_findings.h"
#include "output/report_numbers.h"
#include "output/summary_table.h"
#include "output/svg_chart.h"

namespace fourp::report {

using svg::escape;

namespace {

// Sums of money: whole from 10 up ("EUR 100", "USD 41,000"), as format_number below.
std::string money(const Results& r, double x) {
  if (std::isnan(x)) return "n/a";
  const std::string n =
      std::fabs(x) >= 10 && std::fabs(x) < 1000 ? fmt::format("{:.0f}", x) : format_number(x);
  return r.currency.empty() ? n : r.currency + " " + n;
}

std::string whole_percent(double p) {
  return fmt::format("{:.0f}%", 100 * p);
}

// "per case averted", from the model's words.
std::string per_unit(const Results& r) {
  return "per " + r.outputs.improvement.unit;
}

size_t arm_colour_index(const Results& r, const std::string& arm) {
  for (size_t i = 0; i < r.arms.size(); ++i)
    if (r.arms[i].name == arm) return i;
  return 0;
}

// Parameters by their EVPPI at λ index i, largest first.
std::vector<size_t> by_evppi(const DecisionAnalysis& d, size_t i) {
  std::vector<size_t> order(d.parameters.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return d.evppi[a][i] > d.evppi[b][i]; });
  return order;
}

// Where the arm of highest expected net benefit changes along the grid: "baseline up to USD
// 2,000; partnership from USD 2,500".
std::string best_by_range(const Results& r, const DecisionAnalysis& d) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < d.acceptability.size();) {
    size_t j = i;
    const size_t best = d.acceptability[i].best_expected;
    while (j + 1 < d.acceptability.size() && d.acceptability[j + 1].best_expected == best) ++j;
    const std::string& arm = d.arms[best];
    if (i == 0 && j + 1 == d.acceptability.size())
      parts.push_back(fmt::format("{} over the whole range", arm));
    else if (i == 0)
      parts.push_back(fmt::format("{} up to {}", arm, money(r, d.lambdas[j])));
    else
      parts.push_back(fmt::format("{} from {}", arm, money(r, d.lambdas[i])));
    i = j + 1;
  }
  std::string out;
  for (size_t k = 0; k < parts.size(); ++k) out += (k ? "; " : "") + parts[k];
  return out;
}

std::string draws_words(const Results& r, const DecisionAnalysis& d) {
  return d.parameters_drawn
             ? fmt::format(
                   "{} replicates are {} draws of the {} uncertain parameters and of "
                   "chance",
                   r.replicates, r.replicates, d.parameters.size())
             : fmt::format("{} replicates differ by chance alone", r.replicates);
}

std::string frontier_table(const Results& r, const DecisionAnalysis& d) {
  const Improvement& imp = r.outputs.improvement;
  const std::string cur = r.currency.empty() ? "" : " (" + escape(r.currency) + ")";
  std::string out = fmt::format(
      "<div class=\"wide\">\n<table class=\"frontier\">\n<thead><tr><th>arm</th>"
      "<th>mean extra cost{0}</th><th>mean {1}</th><th>on the frontier?</th>"
      "<th>ICER{0} {2}</th><th>most effective in</th></tr></thead>\n<tbody>\n",
      cur, escape(imp.label), escape(per_unit(r)));
  for (size_t a = 0; a < d.arms.size(); ++a) {
    const FrontierArm& f = d.frontier[a];
    std::string status = "yes", icer = "\u2013";
    if (f.status == FrontierArm::Status::dominated)
      status = "no: dominated (another arm costs no more and does at least as well)";
    else if (f.status == FrontierArm::Status::extendedly_dominated)
      status = "no: extendedly dominated (a mix of its neighbours does better)";
    else if (f.previous != a)
      icer = fmt::format("{} against {}", format_number(f.icer), d.arms[f.previous]);
    out += fmt::format(
        "<tr><td><span class=\"swatch\" style=\"color:{}\">&#9632;</span>&nbsp;{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        svg::arm_colour(arm_colour_index(r, d.arms[a])), escape(d.arms[a]),
        escape(format_number(d.mean_cost[a])), escape(format_number(d.mean_effect[a])),
        escape(status), escape(icer), whole_percent(d.probability_most_effective[a]));
  }
  return out + "</tbody>\n</table>\n</div>\n";
}

std::string plane_chart(const Results& r, const DecisionAnalysis& d) {
  const Improvement& imp = r.outputs.improvement;
  svg::Scatter plane;
  plane.title = "Cost and effect of each arm, with the efficiency frontier";
  plane.x_label = fmt::format("mean {} (against {})", imp.label, baseline_words(r));
  plane.y_label =
      fmt::format("mean extra cost{}", r.currency.empty() ? "" : " (" + r.currency + ")");
  std::vector<size_t> on;
  for (size_t a = 0; a < d.arms.size(); ++a) {
    const double nan = std::nan("");
    plane.points.push_back({d.arms[a], svg::arm_colour(arm_colour_index(r, d.arms[a])),
                            d.mean_effect[a], nan, nan, d.mean_cost[a], nan, nan});
    if (d.frontier[a].status == FrontierArm::Status::frontier) on.push_back(a);
  }
  std::sort(on.begin(), on.end(),
            [&](size_t a, size_t b) { return d.mean_cost[a] < d.mean_cost[b]; });
  for (size_t a : on) plane.path.emplace_back(d.mean_effect[a], d.mean_cost[a]);
  plane.path_label = "efficiency frontier";
  return fmt::format(
      "<figure id=\"decision-plane\">\n{}\n<figcaption>Mean cost and {} of each "
      "arm against {}. The grey line joins the arms on the efficiency frontier; "
      "an arm off it is beaten by another arm or by a mix of two.</figcaption>\n"
      "</figure>\n",
      svg::scatter(plane), escape(imp.label), escape(baseline_words(r)));
}

std::string ceac_chart(const Results& r, const DecisionAnalysis& d) {
  svg::LineChart c;
  c.title = "Probability each arm is the best choice";
  c.x_label = fmt::format("willingness to pay{} {}",
                          r.currency.empty() ? "" : " (" + r.currency + ")", per_unit(r));
  c.y_label = "probability best";
  c.y_format = svg::percent_tick;
  c.y_min = 0, c.y_max = 1;
  for (size_t a = 0; a < d.arms.size(); ++a) {
    svg::BandSeries s{d.arms[a], svg::arm_colour(arm_colour_index(r, d.arms[a])), d.lambdas, {}, {},
                      {}};
    for (const Acceptability& x : d.acceptability) s.y.push_back(x.probability_best[a]);
    c.series.push_back(std::move(s));
  }
  // The acceptability frontier: the probability best of the arm of highest expected NMB.
  svg::BandSeries f{"acceptability frontier (arm of highest expected net benefit)",
                    "#bbbbbb",
                    d.lambdas,
                    {},
                    {},
                    {},
                    7};
  for (const Acceptability& x : d.acceptability) f.y.push_back(x.probability_best[x.best_expected]);
  c.series.insert(c.series.begin(), std::move(f));
  return fmt::format(
      "<figure id=\"decision-ceac\">\n{}\n<figcaption>Cost-effectiveness acceptability curves: "
      "at each willingness to pay, the share of the draws in which the arm has the highest net "
      "monetary benefit (willingness to pay \u00d7 {} \u2212 extra cost). The wide grey line, the "
      "acceptability frontier, follows the arm of highest expected net benefit: {}.</figcaption>\n"
      "</figure>\n",
      svg::line_chart(c), escape(r.outputs.improvement.label), escape(best_by_range(r, d)));
}

std::string probability_table(const Results& r, const DecisionAnalysis& d) {
  // Five willingness-to-pay values of the grid, both ends included.
  std::vector<size_t> rows;
  const size_t n = d.lambdas.size();
  for (size_t k = 0; k < 5 && n > 0; ++k) {
    const size_t i = (n - 1) * k / 4;
    if (rows.empty() || rows.back() != i) rows.push_back(i);
  }
  std::string out = fmt::format(
      "<div class=\"wide\">\n<table class=\"probability-best\">\n<thead><tr><th>willingness to "
      "pay {}</th>",
      escape(per_unit(r)));
  for (const std::string& a : d.arms) out += "<th>" + escape(a) + "</th>";
  out += "<th>EVPI</th></tr></thead>\n<tbody>\n";
  for (size_t i : rows) {
    const Acceptability& x = d.acceptability[i];
    out += "<tr><td>" + escape(money(r, x.lambda)) + "</td>";
    for (size_t a = 0; a < d.arms.size(); ++a)
      out += a == x.best_expected ? "<td><b>" + whole_percent(x.probability_best[a]) + "</b></td>"
                                  : "<td>" + whole_percent(x.probability_best[a]) + "</td>";
    out += "<td>" + escape(money(r, x.evpi)) + "</td></tr>\n";
  }
  return out +
         "</tbody>\n</table>\n</div>\n<p class=\"note\">Probability each arm is the best choice; "
         "in bold the arm of highest expected net benefit. EVPI, the expected value of perfect "
         "information, is what knowing everything before choosing would be worth, per district "
         "(E[max net benefit] \u2212 max E[net benefit]).</p>\n";
}

std::string evppi_chart(const Results& r, const DecisionAnalysis& d, size_t i) {
  svg::HBars b;
  b.title = fmt::format("Value of perfect information on each parameter, at {} {}",
                        money(r, d.lambdas[i]), per_unit(r));
  b.x_label =
      fmt::format("EVPPI{} per district", r.currency.empty() ? "" : " (" + r.currency + ")");
  for (size_t k : by_evppi(d, i)) {
    b.labels.push_back(d.parameters[k]);
    b.values.push_back(d.evppi[k][i]);
  }
  return fmt::format(
      "<figure id=\"decision-evppi\">\n{}\n<figcaption>Expected value of partial perfect "
      "information (Strong &amp; Oakley 2013, sort and bin): what learning one parameter exactly "
      "would be worth before choosing. EVPI at this price: {}. Estimates from {} draws are biased "
      "upwards by a little; values near 0 mean the choice does not hinge on the "
      "parameter.</figcaption>\n</figure>\n",
      svg::hbars(b), escape(money(r, d.acceptability[i].evpi)), r.replicates);
}

std::string tornado_charts(const Results& r, const DecisionAnalysis& d) {
  std::string out = "<div class=\"charts\">\n";
  for (size_t i = 0; i < d.prcc_arms.size(); ++i) {
    const Prcc& p = d.prcc[i];
    std::vector<size_t> order(d.parameters.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const double x = std::isnan(p.r[a]) ? -1 : std::fabs(p.r[a]);
      const double y = std::isnan(p.r[b]) ? -1 : std::fabs(p.r[b]);
      return x > y;
    });
    svg::Forest f;
    f.title = fmt::format("What drives {}'s {}", d.prcc_arms[i], r.outputs.improvement.label);
    f.x_label = "partial rank correlation";
    const std::string colour = svg::arm_colour(arm_colour_index(r, d.prcc_arms[i]));
    for (size_t k : order) f.rows.push_back({d.parameters[k], colour, p.r[k], p.low[k], p.high[k]});
    out += fmt::format("<figure id=\"decision-prcc-{}\">\n{}\n</figure>\n", escape(d.prcc_arms[i]),
                       svg::forest(f));
  }
  return out +
         "</div>\n<p class=\"note\">Partial rank correlation coefficients (Marino et al. 2008) "
         "of each arm's effect against the baseline with each uncertain parameter, the others "
         "held fixed, with 95% intervals (Fisher's z); parameters by strength, strongest "
         "first.</p>\n";
}

}  // namespace

size_t focus_lambda(const DecisionAnalysis& d) {
  return d.lambdas.empty() ? 0 : (d.lambdas.size() - 1) / 2;
}

std::vector<std::string> decision_findings(const Results& r) {
  std::vector<std::string> out;
  if (!r.decision || r.decision->acceptability.empty()) return out;
  const DecisionAnalysis& d = *r.decision;
  const Improvement& imp = r.outputs.improvement;
  const size_t i = focus_lambda(d);
  const Acceptability& x = d.acceptability[i];
  const size_t best = x.best_expected;
  std::string s =
      fmt::format("At {} {}, {} is the best choice in {} of the {} draws", money(r, x.lambda),
                  per_unit(r), d.arms[best], whole_percent(x.probability_best[best]), r.replicates);
  if (d.parameters_drawn && !d.parameters.empty()) {
    const size_t k = by_evppi(d, i).front();
    s += d.evppi[k][i] > 0
             ? fmt::format(
                   "; the most valuable evidence to collect is on {} ({} per district, of "
                   "{} for perfect information on everything)",
                   d.parameters[k], money(r, d.evppi[k][i]), money(r, x.evpi))
             : "; no single parameter's evidence would change the choice";
  }
  out.push_back(s + ".");
  out.push_back(fmt::format("The arm of highest expected net benefit is {}.", best_by_range(r, d)));
  const size_t top = static_cast<size_t>(
      std::max_element(d.probability_most_effective.begin(), d.probability_most_effective.end()) -
      d.probability_most_effective.begin());
  out.push_back(
      fmt::format("By {} alone, whatever the price, {} is the most effective arm in {} of "
                  "the draws.",
                  imp.label, d.arms[top], whole_percent(d.probability_most_effective[top])));
  for (size_t a = 0; a < d.arms.size(); ++a) {
    if (d.frontier[a].status == FrontierArm::Status::dominated)
      out.push_back(
          fmt::format("{} is dominated: another arm costs no more on average and does "
                      "at least as well on {}.",
                      d.arms[a], imp.label));
    else if (d.frontier[a].status == FrontierArm::Status::extendedly_dominated)
      out.push_back(
          fmt::format("{} is extendedly dominated: a mix of the arms beside it on the "
                      "frontier buys {} for less.",
                      d.arms[a], imp.label));
  }
  for (size_t j = 0; j < d.prcc_arms.size(); ++j) {
    const Prcc& p = d.prcc[j];
    size_t k = p.r.size();
    for (size_t m = 0; m < p.r.size(); ++m)
      if (!std::isnan(p.r[m]) && (k == p.r.size() || std::fabs(p.r[m]) > std::fabs(p.r[k]))) k = m;
    if (k == p.r.size() || !(p.low[k] > 0 || p.high[k] < 0)) continue;
    out.push_back(
        fmt::format("{}'s {} depend most on {} (partial rank correlation {:.2f}, 95% "
                    "interval {:.2f} to {:.2f}).",
                    d.prcc_arms[j], imp.label, d.parameters[k], p.r[k], p.low[k], p.high[k]));
  }
  return out;
}

std::string decision_section(const Results& r, int number) {
  std::string out = fmt::format("<section id=\"decision\">\n<h2>{}. Decision</h2>\n", number);
  if (!r.decision) {
    return out +
           "<p>No decision analysis: it needs two or more arms, the baseline among them, and a "
           "model that declares a cost and an effect.</p>\n</section>\n";
  }
  const DecisionAnalysis& d = *r.decision;
  out += fmt::format(
      "<p>The {}; every arm of a replicate ran with the same draw, so the arms are compared on "
      "equal terms. {}</p>\n",
      draws_words(r, d),
      d.parameters_drawn
          ? "The intervals elsewhere in this report include this parameter uncertainty."
          : "The scenario has no <code>uncertainty:</code> section, so the probabilities below "
            "say how often an arm wins in one district's history, not how sure one can be of the "
            "model's parameters.");
  out += "<ul class=\"findings\">\n";
  for (const std::string& f : decision_findings(r)) out += "<li>" + escape(f) + "</li>\n";
  out += "</ul>\n<h3>The efficiency frontier</h3>\n";
  out += frontier_table(r, d);
  out += "<div class=\"charts\">\n" + plane_chart(r, d) + ceac_chart(r, d) + "</div>\n";
  out += "<h3>Probability best, by willingness to pay</h3>\n" + probability_table(r, d);
  if (d.parameters_drawn && !d.parameters.empty()) {
    out += "<h3>Which evidence is worth collecting</h3>\n" + evppi_chart(r, d, focus_lambda(d));
    out += "<h3>What drives each arm's effect</h3>\n" + tornado_charts(r, d);
  }
  return out + "</section>\n";
}

std::string decision_line(const Results& r) {
  if (!r.decision || r.decision->acceptability.empty()) return "";
  const DecisionAnalysis& d = *r.decision;
  const Acceptability& x = d.acceptability[focus_lambda(d)];
  std::vector<size_t> order(d.arms.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return x.probability_best[a] > x.probability_best[b];
  });
  std::string arms;
  size_t never = 0;
  for (size_t a : order) {
    if (x.probability_best[a] == 0 && !arms.empty()) {
      ++never;
      continue;
    }
    arms += fmt::format("{}{} {}", arms.empty() ? "" : ", ", d.arms[a],
                        whole_percent(x.probability_best[a]));
  }
  if (never > 0) arms += never == 1 ? ", the other 0%" : fmt::format(", the {} others 0%", never);
  return fmt::format("best expected net benefit: {} ({})\nprobability best at {} {}: {}\n",
                     best_by_range(r, d), per_unit(r), money(r, x.lambda), per_unit(r), arms) +
         (d.parameters_drawn
              ? ""
              : "(the replicates differ by chance alone: no uncertain parameters)\n");
}

}  // namespace fourp::report
