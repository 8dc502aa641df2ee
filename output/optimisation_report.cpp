#include "output/optimisation_report.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "output/results_file.h"
#include "output/svg_chart.h"

namespace fourp::report {

using svg::escape;

namespace {

constexpr double kPer = 100000;  // "per extra 100,000" of the currency

std::string num(double v) {
  return fmt::format("{:.3g}", v);
}
std::string money(const OptimisationResults& r, double v) {
  std::string digits = fmt::format("{:.0f}", std::abs(v)), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return fmt::format("{}{} {}", v < 0 ? "\u2212" : "", r.currency, grouped);
}
const OptimisationRow& row(const OptimisationResults& r, int64_t i) {
  return r.candidates.at(static_cast<size_t>(i));
}
std::vector<uint32_t> ids(const std::string& text) {
  std::vector<uint32_t> out;
  std::istringstream in(text);
  for (uint32_t x; in >> x;) out.push_back(x);
  return out;
}
// The outcome the objective names, for sentences: "minimise exploited" → "exploited".
std::string outcome_words(const OptimisationResults& r) {
  const size_t space = r.objective.find(' ');
  return space == std::string::npos ? r.objective : r.objective.substr(space + 1);
}

// Programmes (rows: today and the optimum) by community (columns): served or not.
std::string allocation_chart(const OptimisationResults& r) {
  svg::Heatmap m;
  m.title = "Communities served (yellow): today and at the optimum";
  m.x_label = "community";
  m.y_label = "";
  m.value_label = "served";
  m.cols = r.communities;
  for (size_t j = 0; j < r.choices.size(); ++j) {
    if (r.choice_kinds[j] != "communities") continue;
    const std::string name =
        r.choices[j].substr(std::string("interventions.").size(),
                            r.choices[j].size() - std::string("interventions.").size() -
                                std::string(".target.communities").size());
    for (const auto& [label, index] :
         {std::pair<std::string, int64_t>{"today", r.current_candidate}, {"optimum", r.optimum}}) {
      if (index < 0) continue;
      std::vector<double> served(r.communities, 0.0);
      for (uint32_t c : ids(row(r, index).values[j]))
        if (c < r.communities) served[c] = 1.0;
      m.values.insert(m.values.end(), served.begin(), served.end());
      m.row_labels.push_back(name + ": " + label);
      m.row_marked.push_back(label == "optimum");
      ++m.rows;
    }
  }
  if (m.rows == 0) return "";
  m.mark_meaning = "the optimum";
  m.size = {640, 60.0 + 34.0 * m.rows};
  return svg::heatmap(m);
}

std::string curve_chart(const OptimisationResults& r) {
  svg::LineChart c;
  c.title = "The best outcome found at each budget (95% intervals)";
  c.x_label = "budget (" + r.currency + ")";
  c.y_label = outcome_words(r);
  svg::BandSeries s{"optimum", svg::arm_colour(2), {}, {}, {}, {}};
  for (const CurvePoint& p : r.curve) {
    if (p.candidate < 0) continue;
    const OptimisationRow& o = row(r, p.candidate);
    s.x.push_back(p.budget);
    s.y.push_back(o.objective);
    s.low.push_back(o.objective_low);
    s.high.push_back(o.objective_high);
  }
  if (s.x.size() < 2) return "";
  c.series.push_back(std::move(s));
  return svg::line_chart(c);
}

// Which constraint binds: the answer among every candidate evaluated that the choices allow,
// the constraints aside (best_outcome: the best within the budget; least_cost: the cheapest
// reaching the target), against each at_least_one_of: a constraint it breaks changed the answer.
void constraint_findings(const OptimisationResults& r, std::vector<std::string>& out) {
  std::optional<size_t> best;
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const OptimisationRow& c = r.candidates[i];
    if (!c.ok || !c.within_choices || c.cost > r.budget) continue;
    if (r.least_cost() && c.objective > r.target_level) continue;
    if (!best) {
      best = i;
      continue;
    }
    const OptimisationRow& b = r.candidates[*best];
    const double gc = r.objective_sign * c.objective, gb = r.objective_sign * b.objective;
    if (r.least_cost() ? (c.cost < b.cost || (c.cost == b.cost && gc < gb))
                       : (gc < gb || (gc == gb && c.cost < b.cost)))
      best = i;
  }
  if (!best || r.optimum < 0) return;
  const OptimisationRow &u = r.candidates[*best], &opt = row(r, r.optimum);
  const std::string what = outcome_words(r);
  for (const std::string& con : r.constraints) {
    const std::vector<uint32_t> want = ids(con);
    std::optional<uint32_t> served;
    for (size_t j = 0; j < r.choices.size() && !served; ++j) {
      if (r.choice_kinds[j] != "communities") continue;
      for (uint32_t k : ids(u.values[j]))
        if (!served && std::find(want.begin(), want.end(), k) != want.end()) served = k;
    }
    std::string list;
    for (size_t i = 0; i < want.size(); ++i)
      list += (i == 0 ? "" : i + 1 == want.size() ? " or " : ", ") + std::to_string(want[i]);
    if (served)
      out.push_back(
          fmt::format("The constraint that community {} is served does not bind: the "
                      "{} allocation found without the constraints serves community {} "
                      "anyway.",
                      list, r.least_cost() ? "cheapest" : "best", *served));
    else if (r.least_cost())
      out.push_back(fmt::format(
          "The constraint that community {} is served binds: without it, the cheapest allocation "
          "found that reaches the target is {}, at {} ({} {}), against {} with it.",
          list, u.description, money(r, u.cost), num(u.objective), what, money(r, opt.cost)));
    else
      out.push_back(fmt::format(
          "The constraint that community {} is served binds: without it, the best allocation "
          "found is {}, with {} {} at {}, against {} with it.",
          list, u.description, num(u.objective), what, money(r, u.cost), num(opt.objective)));
  }
}

}  // namespace

std::vector<std::string> optimisation_findings(const OptimisationResults& r) {
  std::vector<std::string> out;
  if (r.optimum < 0) return out;
  const OptimisationRow& opt = row(r, r.optimum);
  const std::string what = outcome_words(r);
  const Confirmation& k = r.confirmation;
  if (r.least_cost()) {
    out.push_back(fmt::format(
        "The cheapest allocation found that lowers {} by at least {:g}% against the baseline arm "
        "“{}” (from {} to at most {}) is: {}. It costs {} (95% interval {} to {}) and "
        "leads to {} {} (95% interval {} to {}), {:.1f}% fewer than the baseline arm, on the "
        "search's replicates; no more than {} was to be spent.",
        what, 100 * r.target_reduction, r.baseline_arm, num(r.baseline_objective),
        num(r.target_level), opt.description, money(r, opt.cost), money(r, opt.cost_low),
        money(r, opt.cost_high), num(opt.objective), what, num(opt.objective_low),
        num(opt.objective_high), 100 * (1 - opt.objective / r.baseline_objective),
        money(r, r.budget)));
    const bool reached = k.target_margin_low >= 0, average = k.target_margin >= 0;
    out.push_back(fmt::format(
        "On {} fresh replicates it lowers {} by {:.1f}% against the baseline arm; its margin over "
        "the target is {} (95% interval {} to {}, paired): {}.",
        r.confirm_replicates, what, 100 * k.achieved_reduction, num(k.target_margin),
        num(k.target_margin_low), num(k.target_margin_high),
        reached   ? "the target is reached"
        : average ? "the target is reached on average, but the interval includes a shortfall"
                  : "the target is not reached on fresh replicates (the optimiser's curse: "
                    "allow for it with a larger reduction or more replicates)"));
  } else {
    out.push_back(fmt::format(
        "Within the budget of {}, the best allocation found is: {}. It leads to {} {} (95% "
        "interval {} to {}) at a mean cost of {}.",
        money(r, r.budget), opt.description, num(opt.objective), what, num(opt.objective_low),
        num(opt.objective_high), money(r, opt.cost)));
  }
  if (r.current_candidate >= 0) {
    const OptimisationRow& cur = row(r, r.current_candidate);
    out.push_back(fmt::format("Today's plan ({}) leads to {} {} at a mean cost of {}{}.",
                              cur.description, num(cur.objective), what, money(r, cur.cost),
                              cur.cost > r.budget ? ", more than the budget" : ""));
  }
  const bool sure = k.improvement_low > 0;
  out.push_back(fmt::format(
      "On {} fresh replicates (not those the search chose on), the optimum does better than "
      "today's plan by {} (95% interval {} to {}), in {:.0f}% of them, at a mean of {} {}{}",
      r.confirm_replicates, num(k.improvement), num(k.improvement_low), num(k.improvement_high),
      100 * k.probability_better, money(r, std::abs(k.extra_cost)),
      k.extra_cost >= 0 ? "more" : "less",
      sure ? "."
           : "; the interval includes no difference, so the optimum is not shown to beat "
             "today's plan."));
  // The budget binds when a better candidate was found that costs more than the budget (least
  // cost: the target, not the budget, decides what is spent).
  bool binds = false;
  for (const OptimisationRow& c : r.candidates)
    binds = binds || (c.ok && c.cost > r.budget &&
                      r.objective_sign * c.objective < r.objective_sign * opt.objective);
  if (!r.least_cost())
    out.push_back(binds ? fmt::format("The budget binds: allocations that cost more than {} did "
                                      "better.",
                                      money(r, r.budget))
                        : fmt::format("The budget does not bind: no allocation found did better "
                                      "by spending more; the optimum leaves {} unspent.",
                                      money(r, r.budget - opt.cost)));
  constraint_findings(r, out);
  for (size_t j = 0; j < r.choices.size(); ++j) {
    if (r.choice_kinds[j] != "number") continue;
    // The bounds are in the optimisation file; a number at a bound may want a wider range.
    const std::string& text = r.optimisation_text;
    const size_t at = text.find(r.choices[j]);
    if (at == std::string::npos) continue;
    const std::string line = text.substr(at, text.find('\n', at) - at);
    const auto bound = [&](const char* key) -> std::optional<double> {
      const size_t p = line.find(key);
      if (p == std::string::npos) return std::nullopt;
      try {
        return std::stod(line.substr(p + std::string(key).size()));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    };
    const double v = std::stod(opt.values[j]);
    if (auto lo = bound("min:"); lo && v == *lo)
      out.push_back(
          fmt::format("{} is at the bottom of its range ({}): a lower value may do "
                      "better.",
                      r.choices[j], num(v)));
    if (auto hi = bound("max:"); hi && v == *hi)
      out.push_back(
          fmt::format("{} is at the top of its range ({}): a higher value may do "
                      "better.",
                      r.choices[j], num(v)));
  }
  // What extra money buys between successive budgets of the curve.
  const CurvePoint* last = nullptr;
  for (const CurvePoint& p : r.curve) {
    if (p.candidate < 0) continue;
    if (last) {
      const OptimisationRow &a = row(r, last->candidate), &b = row(r, p.candidate);
      const double extra = b.cost - a.cost;
      const double gain = r.objective_sign * (a.objective - b.objective);
      if (extra > 0)
        out.push_back(fmt::format(
            "From a budget of {} to {}, each extra {} {} {} by {} (the optima's mean costs: {} "
            "and {}).",
            money(r, last->budget), money(r, p.budget), money(r, kPer),
            r.objective_sign > 0 ? "lowers" : "raises", what, num(gain / extra * kPer),
            money(r, a.cost), money(r, b.cost)));
    }
    last = &p;
  }
  bool none = false;
  for (const CurvePoint& p : r.curve) none = none || p.candidate < 0;
  if (none) out.push_back("Nothing the search evaluated fits the smallest budgets of the curve.");
  return out;
}

std::string render_optimisation_report(const OptimisationResults& r) {
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta "
      "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Optimisation "
      "\u2014 fourp</title>\n<style>\nbody {{ font-family: system-ui, sans-serif; color: #222; "
      "max-width: 1080px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }}\nh2 {{ "
      "margin-top: 2em; border-bottom: 1px solid #ddd; }}\ntable {{ border-collapse: collapse; "
      "font-size: 0.92em; }}\ntd, th {{ border-bottom: 1px solid #eee; padding: 3px 10px; "
      "text-align: left; }}\ntd.n {{ text-align: right; font-variant-numeric: tabular-nums; }}\n"
      "svg {{ max-width: 100%; height: auto; }}\n.note {{ color: #555; font-size: 0.92em; }}\n"
      "pre {{ background: #f6f6f6; padding: 0.8em; overflow: auto; }}\n</style>\n</head>\n"
      "<body>\n<main>\n<h1>{} for the arm \u201c{}\u201d</h1>\n<p "
      "class=\"note\">fourp {} \u00b7 {} \u00b7 {} candidates on {} replicates each \u00b7 "
      "confirmed on {} fresh replicates \u00b7 {} runs \u00b7 seed {}</p>\n",
      escape(r.least_cost() ? fmt::format("The least cost of {:g}% fewer {}",
                                          100 * r.target_reduction, outcome_words(r))
                            : "The best use of " + money(r, r.budget)),
      escape(r.current), escape(r.fourp_version), escape(r.objective), r.candidates.size(),
      r.replicates, r.confirm_replicates, r.runs, r.seed);

  h += "<section id=\"findings\">\n<h2>Findings</h2>\n<ul>\n";
  for (const std::string& f : optimisation_findings(r)) h += "<li>" + escape(f) + "</li>\n";
  h += "</ul>\n</section>\n";

  h += "<section id=\"allocation\">\n<h2>Today's plan and the optimum</h2>\n";
  h += allocation_chart(r);
  h += "\n<table>\n<tr><th>choice</th><th>today</th><th>optimum</th></tr>\n";
  for (size_t j = 0; j < r.choices.size(); ++j)
    h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", escape(r.choices[j]),
                     r.current_candidate >= 0 ? escape(row(r, r.current_candidate).values[j]) : "",
                     r.optimum >= 0 ? escape(row(r, r.optimum).values[j]) : "");
  h += "</table>\n</section>\n";

  h += "<section id=\"curve\">\n<h2>The budget\u2013outcome curve</h2>\n" + curve_chart(r);
  h += "\n<table>\n<tr><th>budget</th><th>best allocation found</th><th>" +
       escape(outcome_words(r)) + " (95% interval)</th><th>mean cost</th><th>" +
       (r.objective_sign > 0 ? "fewer " : "more ") + escape(outcome_words(r)) + " per extra " +
       escape(money(r, kPer)) + "</th></tr>\n";
  const OptimisationRow* last = nullptr;
  for (const CurvePoint& p : r.curve) {
    if (p.candidate < 0) {
      h += fmt::format(
          "<tr><td class=\"n\">{}</td><td>nothing evaluated fits</td><td></td>"
          "<td></td><td></td></tr>\n",
          escape(money(r, p.budget)));
      continue;
    }
    const OptimisationRow& o = row(r, p.candidate);
    std::string marginal;
    if (last && o.cost > last->cost)
      marginal =
          num(r.objective_sign * (last->objective - o.objective) / (o.cost - last->cost) * kPer);
    h += fmt::format(
        "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{} ({}\u2013{})</td><td "
        "class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
        escape(money(r, p.budget)), escape(o.description), num(o.objective), num(o.objective_low),
        num(o.objective_high), escape(money(r, o.cost)), marginal);
    last = &o;
  }
  h += "</table>\n<p class=\"note\">At each budget, the best allocation among every candidate "
       "evaluated whose mean cost fits it, on the search's replicates (common random numbers). "
       "The marginal column compares successive budgets' optima.</p>\n</section>\n";

  const Confirmation& k = r.confirmation;
  h += fmt::format(
      "<section id=\"confirmation\">\n<h2>Confirmation on fresh replicates</h2>\n<p>Today's plan "
      "and the optimum, each run on the same {} replicates that the search never saw: the "
      "optimum improves on today's plan by {} (95% interval {} to {}), and does better in {:.0f}% "
      "of the replicates; it costs {} more (95% interval {} to {}).</p>\n",
      r.confirm_replicates, num(k.improvement), num(k.improvement_low), num(k.improvement_high),
      100 * k.probability_better, escape(money(r, k.extra_cost)),
      escape(money(r, k.extra_cost_low)), escape(money(r, k.extra_cost_high)));
  if (r.least_cost())
    h += fmt::format(
        "<p>The target: {} at most {}, {:g}% below the baseline arm \u201c{}\u201d ({} on the "
        "search's replicates). On the fresh replicates the allocation lowers {} by {:.1f}% "
        "against the baseline arm; the paired margin (1 \u2212 {:g}) \u00d7 baseline \u2212 "
        "allocation is {} (95% interval {} to {}): {}.</p>\n",
        escape(outcome_words(r)), num(r.target_level), 100 * r.target_reduction,
        escape(r.baseline_arm), num(r.baseline_objective), escape(outcome_words(r)),
        100 * k.achieved_reduction, r.target_reduction, num(k.target_margin),
        num(k.target_margin_low), num(k.target_margin_high),
        k.target_margin_low >= 0 ? "reached"
        : k.target_margin >= 0   ? "reached on average, not surely"
                                 : "not reached");
  h += "</section>\n";

  std::vector<size_t> order;
  for (size_t i = 0; i < r.candidates.size(); ++i)
    if (r.candidates[i].ok && r.candidates[i].cost <= r.budget) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return r.objective_sign * r.candidates[a].objective <
           r.objective_sign * r.candidates[b].objective;
  });
  if (order.size() > 20) order.resize(20);
  h += "<section id=\"candidates\">\n<h2>The best candidates within the budget</h2>\n<table>\n"
       "<tr><th>allocation</th><th>" +
       escape(outcome_words(r)) + " (95% interval)</th><th>mean cost</th></tr>\n";
  for (size_t i : order) {
    const OptimisationRow& c = r.candidates[i];
    h += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{} ({}\u2013{})</td><td class=\"n\">{}</td>"
        "</tr>\n",
        escape(c.description), num(c.objective), num(c.objective_low), num(c.objective_high),
        escape(money(r, c.cost)));
  }
  h += "</table>\n<p class=\"note\">Every candidate is in the results file's /candidates "
       "table.</p>\n</section>\n";
  h += "<section id=\"files\">\n<details><summary>The optimisation file</summary><pre>" +
       escape(r.optimisation_text) +
       "</pre></details>\n<details><summary>The scenario (normalised)</summary><pre>" +
       escape(r.scenario_yaml) + "</pre></details>\n</section>\n</main>\n</body>\n</html>\n";
  return h;
}

void write_optimisation_report(const OptimisationResults& r, const std::filesystem::path& path,
                               bool overwrite) {
  write_report_text(path, overwrite, render_optimisation_report(r));
}

}  // namespace fourp::report
