#include "output/calibration_report.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "output/results_file.h"
#include "output/summary_table.h"
#include "output/svg_chart.h"

namespace fourp::report {

using svg::escape;

namespace {

constexpr double kUninformed = 0.8;  // posterior 90% width / prior's at which data say nothing
constexpr int kBins = 24;
constexpr double kCorrelated = 0.3;  // |posterior correlation| from which a pair is shown

// The p-quantile of parameter j in a generation, by its weights.
double quantile_of(const SmcGeneration& g, size_t j, double p) {
  const std::vector<double> w = smc_weights(g);
  std::vector<std::pair<double, double>> vw;
  for (size_t i = 0; i < w.size(); ++i) vw.emplace_back(g.theta[i * g.dimension + j], w[i]);
  std::sort(vw.begin(), vw.end());
  double cumulative = 0;
  for (const auto& [v, x] : vw)
    if ((cumulative += x) >= p) return v;
  return vw.empty() ? std::nan("") : vw.back().first;
}

std::string num(double v) {
  return fmt::format("{:.3g}", v);
}

std::string range(double a, double b) {
  return a < 0 || b < 0 ? num(a) + " to " + num(b) : num(a) + "\u2013" + num(b);
}

// Prior (generation 0) and posterior as histograms over the same bins, as shares of weight.
std::string overlay(const CalibrationResults& r, size_t j) {
  const SmcGeneration &prior = r.generations.front(), &post = r.generations.back();
  double lo = INFINITY, hi = -INFINITY;
  for (const SmcGeneration* g : {&prior, &post})
    for (size_t i = 0; i * g->dimension + j < g->theta.size(); i++) {
      lo = std::min(lo, g->theta[i * g->dimension + j]);
      hi = std::max(hi, g->theta[i * g->dimension + j]);
    }
  if (!(hi > lo)) hi = lo + 1;
  const double width = (hi - lo) / kBins;
  svg::LineChart c;
  c.title = r.parameters[j];
  c.x_label = r.parameters[j];
  c.y_label = "share of the weight";
  c.y_format = svg::percent_tick;
  c.size = {520, 240};
  const std::pair<const SmcGeneration*, const char*> curves[] = {{&prior, "prior"},
                                                                 {&post, "posterior"}};
  for (const auto& [g, name] : curves) {
    std::vector<double> share(kBins, 0.0), x(kBins);
    const std::vector<double> w = smc_weights(*g);
    for (size_t i = 0; i < w.size(); ++i) {
      const int b =
          std::clamp(static_cast<int>((g->theta[i * g->dimension + j] - lo) / width), 0, kBins - 1);
      share[b] += w[i];
    }
    for (int b = 0; b < kBins; ++b) x[b] = lo + (b + 0.5) * width;
    c.series.push_back({name, g == &prior ? "#999999" : svg::arm_colour(5), x, share, {}, {}});
  }
  return svg::line_chart(c);
}

// The weighted correlation of parameters j and k in a generation (NaN when one is constant).
double correlation(const SmcGeneration& g, size_t j, size_t k) {
  const std::vector<double> w = smc_weights(g);
  double mj = 0, mk = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    mj += w[i] * g.theta[i * g.dimension + j];
    mk += w[i] * g.theta[i * g.dimension + k];
  }
  double sjj = 0, skk = 0, sjk = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    const double a = g.theta[i * g.dimension + j] - mj, b = g.theta[i * g.dimension + k] - mk;
    sjj += w[i] * a * a, skk += w[i] * b * b, sjk += w[i] * a * b;
  }
  return sjj > 0 && skk > 0 ? sjk / std::sqrt(sjj * skk) : std::nan("");
}

struct Pair {
  size_t j, k;
  double rho;
};
// Every pair of parameters with their posterior correlation, the strongest first.
std::vector<Pair> posterior_pairs(const CalibrationResults& r) {
  std::vector<Pair> pairs;
  const SmcGeneration& post = r.generations.back();
  for (size_t j = 0; j < r.parameters.size(); ++j)
    for (size_t k = j + 1; k < r.parameters.size(); ++k)
      pairs.push_back({j, k, correlation(post, j, k)});
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return (std::isnan(a.rho) ? -1 : std::abs(a.rho)) > (std::isnan(b.rho) ? -1 : std::abs(b.rho));
  });
  return pairs;
}

}  // namespace

std::vector<std::string> calibration_findings(const CalibrationResults& r) {
  std::vector<std::string> out;
  if (r.generations.empty()) return out;
  const SmcGeneration &prior = r.generations.front(), &post = r.generations.back();
  for (size_t j = 0; j < r.parameters.size(); ++j) {
    const double a = quantile_of(prior, j, 0.05), b = quantile_of(prior, j, 0.95);
    const double c = quantile_of(post, j, 0.05), d = quantile_of(post, j, 0.95);
    const double median = quantile_of(post, j, 0.5);
    const bool moved = median < quantile_of(prior, j, 0.25) || median > quantile_of(prior, j, 0.75);
    if (d - c < kUninformed * (b - a))
      out.push_back(fmt::format("The data narrowed {} from {} to {} (90% intervals).",
                                r.parameters[j], range(a, b), range(c, d)));
    else if (moved)
      out.push_back(
          fmt::format("The data moved {} from {} to {} (90% intervals) without "
                      "narrowing it much.",
                      r.parameters[j], range(a, b), range(c, d)));
    else
      out.push_back(
          fmt::format("The data do not inform {}: its posterior ({}) is nearly its "
                      "prior ({}); what the calibration says of it is the prior's.",
                      r.parameters[j], range(c, d), range(a, b)));
  }
  for (const Pair& p : posterior_pairs(r))
    if (std::abs(p.rho) >= kCorrelated)
      out.push_back(fmt::format(
          "The data inform {} and {} together (posterior correlation {:.2f}): {}.",
          r.parameters[p.j], r.parameters[p.k], p.rho,
          p.rho < 0 ? "more of one fits the data with less of the other, so a decision that "
                      "depends on both should draw them jointly (uncertainty: {from: ...})"
                    : "they rise and fall together, so a decision that depends on both "
                      "should draw them jointly (uncertainty: {from: ...})"));
  for (const TargetBand& t : r.targets)
    if (t.observed < t.low || t.observed > t.high)
      out.push_back(
          fmt::format("The calibrated model misses a target: {} lies outside its 90% "
                      "posterior predictive band ({}).",
                      t.target, range(t.low, t.high)));
  return out;
}

std::string render_calibration_report(const CalibrationResults& r) {
  if (r.generations.empty()) throw std::invalid_argument("calibration report: no generations");
  uint64_t evaluations = 0;
  for (const SmcGeneration& g : r.generations) evaluations += g.evaluations;
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta "
      "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Calibration "
      "\u2014 fourp</title>\n<style>\nbody {{ font-family: system-ui, sans-serif; color: #222; "
      "max-width: 1080px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }}\nh2 {{ "
      "margin-top: 2em; border-bottom: 1px solid #ddd; }}\ntable {{ border-collapse: collapse; "
      "font-size: 0.92em; }}\ntd, th {{ border-bottom: 1px solid #eee; padding: 3px 10px; "
      "text-align: left; }}\ntd.n {{ text-align: right; font-variant-numeric: tabular-nums; }}\n"
      ".plots {{ display: flex; flex-wrap: wrap; gap: 8px; }}\nsvg {{ max-width: 100%; height: "
      "auto; }}\n.note {{ color: #555; font-size: 0.92em; }}\npre {{ background: #f6f6f6; "
      "padding: 0.8em; overflow: auto; }}\n</style>\n</head>\n<body>\n<main>\n<h1>Calibration of "
      "the arm \u201c{}\u201d</h1>\n<p class=\"note\">fourp {} \u00b7 {} particles \u00b7 {} "
      "generations \u00b7 {} likelihood evaluations ({} run(s) each) \u00b7 seed {}</p>\n",
      escape(r.arm), escape(r.fourp_version), r.particles, r.generations.size(), evaluations,
      r.replicates, r.seed);

  h += "<section id=\"findings\">\n<h2>What the data said</h2>\n<ul>\n";
  for (const std::string& f : calibration_findings(r)) h += "<li>" + escape(f) + "</li>\n";
  h += "</ul>\n</section>\n";

  const SmcGeneration &prior = r.generations.front(), &post = r.generations.back();
  h += "<section id=\"parameters\">\n<h2>Parameters: prior and posterior</h2>\n<table>\n"
       "<tr><th>parameter</th><th>prior</th><th>prior 5%\u201395%</th><th>posterior "
       "median</th><th>posterior 5%\u201395%</th></tr>\n";
  for (size_t j = 0; j < r.parameters.size(); ++j)
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td></tr>\n",
        escape(r.parameters[j]), escape(r.priors[j]),
        escape(range(quantile_of(prior, j, 0.05), quantile_of(prior, j, 0.95))),
        escape(num(quantile_of(post, j, 0.5))),
        escape(range(quantile_of(post, j, 0.05), quantile_of(post, j, 0.95))));
  h += "</table>\n<div class=\"plots\">\n";
  for (size_t j = 0; j < r.parameters.size(); ++j)
    h += fmt::format("<figure id=\"parameter-{}\">\n{}\n</figure>\n", escape(r.parameters[j]),
                     overlay(r, j));
  h += "</div>\n<p class=\"note\">Grey: the prior (generation 0's particles); coloured: the "
       "posterior (the last generation's, by weight).</p>\n</section>\n";

  // Pairs: the correlation of every pair, and the particles of those that correlate.
  const std::vector<Pair> pairs = posterior_pairs(r);
  if (!pairs.empty()) {
    h += "<section id=\"pairs\">\n<h2>Pairs of parameters in the posterior</h2>\n<table>\n"
         "<tr><th>parameters</th><th>posterior correlation</th></tr>\n";
    for (const Pair& p : pairs)
      h += fmt::format("<tr><td>{} \u00d7 {}</td><td class=\"n\">{}</td></tr>\n",
                       escape(r.parameters[p.j]), escape(r.parameters[p.k]),
                       std::isnan(p.rho) ? std::string("\u2013") : fmt::format("{:.2f}", p.rho));
    h += "</table>\n<div class=\"plots\">\n";
    const std::vector<double> w = smc_weights(post);
    for (const Pair& p : pairs) {
      if (!(std::abs(p.rho) >= kCorrelated)) continue;
      svg::Cloud c;
      c.title = fmt::format("correlation {:.2f}", p.rho);
      c.x_label = r.parameters[p.j];
      c.y_label = r.parameters[p.k];
      for (size_t i = 0; i < w.size(); ++i) {
        c.x.push_back(post.theta[i * post.dimension + p.j]);
        c.y.push_back(post.theta[i * post.dimension + p.k]);
      }
      c.weight = w;
      c.colour = svg::arm_colour(5);
      h += fmt::format("<figure id=\"pair-{}-{}\">\n{}\n</figure>\n", escape(r.parameters[p.j]),
                       escape(r.parameters[p.k]), svg::cloud(c));
    }
    h += fmt::format(
        "</div>\n<p class=\"note\">Each dot a particle of the posterior (its area by weight), for "
        "the pairs whose correlation is at least {} in size. Correlated parameters trade off "
        "against each other in fitting the data: draw them together (a scenario's "
        "<code>uncertainty: {{from: calib.h5}}</code> does), not each from its own "
        "interval.</p>\n</section>\n",
        kCorrelated);
  }

  h += "<section id=\"targets\">\n<h2>Targets against the calibrated model</h2>\n<table>\n"
       "<tr><th>target</th><th>observed</th><th>model, 90% posterior predictive band</th>"
       "<th></th></tr>\n";
  for (const TargetBand& t : r.targets) {
    const bool share = t.kind == "survey";
    const auto show = [&](double v) { return share ? fmt::format("{:.1f}%", 100 * v) : num(v); };
    const bool inside = t.observed >= t.low && t.observed <= t.high;
    h += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{} ({}\u2013{})</td><td>{}</td>"
        "</tr>\n",
        escape(t.target), show(t.observed), show(t.median), show(t.low), show(t.high),
        inside ? "inside" : "<b>outside</b>");
  }
  h += "</table>\n<p class=\"note\">The band is of the model's value (a survey's share saying "
       "yes, a count's expected number recorded) over posterior particles, before the sampling "
       "noise of a survey or of the records.</p>\n</section>\n";

  h += "<section id=\"generations\">\n<h2>The sampler's generations</h2>\n<table>\n<tr><th>"
       "generation</th><th>temperature</th><th>ESS</th><th>acceptance</th><th>move rounds</th>"
       "<th>evaluations</th><th>failed</th></tr>\n";
  for (const SmcGeneration& g : r.generations)
    h += fmt::format(
        "<tr><td class=\"n\">{}</td><td class=\"n\">{:.4f}</td><td class=\"n\">{:.0f}</td><td "
        "class=\"n\">{:.0f}%</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td></tr>\n",
        g.generation, g.temperature, g.ess, 100 * g.acceptance_rate, g.move_rounds, g.evaluations,
        g.failed_evaluations);
  h += "</table>\n<p class=\"note\">A sequential Monte Carlo sampler with adaptive likelihood "
       "tempering (Del Moral, Doucet &amp; Jasra 2006): each generation raises the likelihood's "
       "temperature as far as keeps half the particles' effective weight, resamples and moves "
       "them; the last reaches temperature 1, the posterior.</p>\n</section>\n";
  h += "<section id=\"files\">\n<details><summary>The calibration file</summary><pre>" +
       escape(r.calibration_text) +
       "</pre></details>\n<details><summary>The scenario (normalised)</summary><pre>" +
       escape(r.scenario_yaml) + "</pre></details>\n</section>\n</main>\n</body>\n</html>\n";
  return h;
}

void write_calibration_report(const CalibrationResults& r, const std::filesystem::path& path,
                              bool overwrite) {
  write_report_text(path, overwrite, render_calibration_report(r));
}

}  // namespace fourp::report
